"""Where the live database may not go: folders a sync client copies, and network file systems."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerreview.sync.sync_folders import (
    Mount,
    mount_table,
    parse_mount_output,
    parse_proc_mounts,
    synchronised_folder,
)

LINUX_MOUNTS = parse_proc_mounts(
    "/dev/nvme0n1p2 / ext4 rw,relatime 0 0\n"
    "/dev/nvme0n1p3 /home ext4 rw,relatime 0 0\n"
    "//nas.school.local/staff /mnt/staff\\040share cifs rw,vers=3.0 0 0\n"
    "fileserver:/export/shared /home/shared nfs4 rw,relatime 0 0\n"
    "amira@trust-server:/srv /home/amira/remote fuse.sshfs rw,nosuid 0 0\n"
    "/dev/sdb1 /media/amira/USB vfat rw,nosuid,nodev 0 0\n"
    "gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev 0 0\n"
)
MAC_MOUNTS = parse_mount_output(
    "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
    "/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)\n"
    "//amira@nas._smb._tcp.local/Staff on /Volumes/Staff (smbfs, nodev, nosuid, mounted by amira)\n"
    "fileserver:/export/reviews on /Volumes/reviews (nfs, nodev, nosuid)\n"
    "/dev/disk4s1 on /Volumes/USB (msdos, local, nodev, nosuid, noowners)\n"
)


def _windows(drive_remote: set[str]) -> dict[str, object]:
    return {
        "system": "Windows",
        "home": "C:\\Users\\amira",
        "drive_is_remote": lambda d: d.upper() in drive_remote,
    }


LINUX = {"system": "Linux", "home": "/home/amira", "mounts": LINUX_MOUNTS}
MAC = {"system": "Darwin", "home": "/Users/amira", "mounts": MAC_MOUNTS}
WINDOWS = _windows({"Z:"})

CASES = [
    # OneDrive
    ("C:\\Users\\amira\\OneDrive - Coventry City Council\\p.db", WINDOWS, "OneDrive"),
    ("/Users/amira/Library/CloudStorage/OneDrive-CoventryCityCouncil/p.db", MAC, "OneDrive"),
    # Dropbox
    ("C:\\Users\\amira\\Dropbox (Personal)\\PeerReview\\p.db", WINDOWS, "Dropbox"),
    ("/home/amira/Dropbox/p.db", LINUX, "Dropbox"),
    # Google Drive
    ("G:\\My Drive\\PeerReview\\p.db", WINDOWS, "Google Drive"),
    (
        "/Users/amira/Library/CloudStorage/GoogleDrive-amira@school.org/My Drive/p.db",
        MAC,
        "Google Drive",
    ),
    ("/Users/amira/GoogleDrive/p.db", MAC, "Google Drive"),
    ("/run/user/1000/gvfs/google-drive:host=school.org,user=amira/p.db", LINUX, "Google Drive"),
    # iCloud
    ("/Users/amira/iCloud Drive/p.db", MAC, "iCloud"),
    ("/Users/amira/Library/Mobile Documents/com~apple~CloudDocs/p.db", MAC, "iCloud"),
    ("C:\\Users\\amira\\iCloudDrive\\p.db", WINDOWS, "iCloud"),
    # Box
    ("/Users/amira/Library/CloudStorage/Box-Box/p.db", MAC, "Box"),
    ("C:\\Users\\amira\\Box\\Reviews\\p.db", WINDOWS, "Box"),
    # An SMB share: Linux CIFS mount (a space in its name), gvfs, macOS smbfs
    ("/mnt/staff share/reviews/p.db", LINUX, "a network share (SMB)"),
    ("/run/user/1000/gvfs/smb-share:server=nas,share=staff/p.db", LINUX, "a network share (SMB)"),
    ("/Volumes/Staff/p.db", MAC, "a network share (SMB)"),
    # NFS and SSH
    ("/home/shared/p.db", LINUX, "a network share (NFS)"),
    ("/Volumes/reviews/p.db", MAC, "a network share (NFS)"),
    ("/home/amira/remote/p.db", LINUX, "a network share (SSH)"),
    # UNC paths and a mapped network drive
    ("\\\\fileserver\\staff\\p.db", WINDOWS, "a network share"),
    ("//fileserver/staff/p.db", LINUX, "a network share"),
    ("Z:\\PeerReview\\p.db", WINDOWS, "a network drive (Z:)"),
    # Local folders: not synchronised, no warning
    ("/home/amira/.local/share/PeerReview/p.db", LINUX, None),
    ("/Users/amira/Library/Application Support/PeerReview/p.db", MAC, None),
    ("C:\\Users\\amira\\AppData\\Local\\PeerReview\\PeerReview\\p.db", WINDOWS, None),
    ("D:\\Reviews\\p.db", WINDOWS, None),
    ("/home/amira/projects/box/p.db", LINUX, None),  # "box" outside the home folder's top
    # A USB stick is local (whatever else is wise about it)
    ("/Volumes/USB/p.db", MAC, None),
    ("/media/amira/USB/p.db", LINUX, None),
    ("/run/user/1000/gvfs/mtp:host=Pixel/p.db", LINUX, None),  # a phone
]


@pytest.mark.parametrize(("path", "where", "service"), CASES, ids=[c[0] for c in CASES])
def test_synchronised_folder(path: str, where: dict[str, object], service: str | None) -> None:
    assert synchronised_folder(path, **where) == service  # type: ignore[arg-type]


def test_longest_mount_point_wins() -> None:
    mounts = [Mount("/", "nfs"), Mount("/home", "ext4")]

    def where(path: str) -> str | None:
        return synchronised_folder(path, system="Linux", home="/home/amira", mounts=mounts)

    assert where("/home/amira/p.db") is None
    assert where("/srv/p.db") == "a network share (NFS)"
    assert where("/homework/p.db") == "a network share (NFS)"  # /home is not its mount


def test_this_machine(tmp_path: Path) -> None:
    """On the machine itself: the real mount table is read and the path is resolved."""
    assert synchronised_folder(tmp_path / "p.db") is None
    assert synchronised_folder(tmp_path / "Dropbox" / "p.db") == "Dropbox"
    link = tmp_path / "link"
    (tmp_path / "OneDrive - Trust").mkdir()
    link.symlink_to(tmp_path / "OneDrive - Trust")
    assert synchronised_folder(link / "p.db") == "OneDrive"  # through a symbolic link
    if Path("/proc/self/mounts").exists():
        assert any(m.point == "/" for m in mount_table("Linux"))
