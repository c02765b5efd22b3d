"""Is a folder synchronised by a cloud client or on a network share? (A live database must not be.)

A live SQLite file copied by a sync client, or used over a network file system, gets corrupted.
Two kinds of place are recognised: folders a cloud client synchronises, known by their names
(they are ordinary local folders to the operating system), and network file systems, known by
the mount table (Linux, macOS) or the drive type (Windows). Everything the detection reads from
the machine can be passed in, so every platform is tested on any platform.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any


@dataclass(frozen=True)
class Mount:
    """One line of the mount table: where a file system is mounted and its type."""

    point: str
    fstype: str


#: File system types that live on another machine (Linux /proc/mounts and macOS ``mount`` names).
NETWORK_FILESYSTEMS: dict[str, str] = {
    "cifs": "SMB",
    "smb3": "SMB",
    "smbfs": "SMB",
    "smb": "SMB",
    "nfs": "NFS",
    "nfs4": "NFS",
    "afpfs": "AFP",
    "webdav": "WebDAV",
    "davfs": "WebDAV",
    "fuse.davfs2": "WebDAV",
    "sshfs": "SSH",
    "fuse.sshfs": "SSH",
    "afs": "AFS",
    "ceph": "Ceph",
    "glusterfs": "GlusterFS",
    "fuse.glusterfs": "GlusterFS",
    "lustre": "Lustre",
    "fuse.rclone": "rclone",
    "fuse.s3fs": "S3",
}

#: GNOME's gvfs mounts every remote location under /run/user/<uid>/gvfs/<scheme>:<details>.
_GVFS_NETWORK = {
    "smb-share": "SMB",
    "smb-server": "SMB",
    "sftp": "SSH",
    "ftp": "FTP",
    "ftps": "FTP",
    "dav": "WebDAV",
    "davs": "WebDAV",
    "afp-volume": "AFP",
    "nfs": "NFS",
}
_GVFS_CLOUD = {"google-drive": "Google Drive", "onedrive": "OneDrive"}

#: ~/Library/CloudStorage/<Provider>-<account> on macOS: the folder's prefix names the service.
_CLOUD_STORAGE = {
    "onedrive": "OneDrive",
    "googledrive": "Google Drive",
    "box": "Box",
    "dropbox": "Dropbox",
    "icloud": "iCloud",
}

_DRIVE_REMOTE = 4  # GetDriveTypeW: a network (mapped) drive


def _cloud_name(part: str) -> str | None:
    """The sync service a folder name belongs to ("OneDrive - Coventry City Council")."""
    p = part.casefold()
    if p.startswith("onedrive"):
        return "OneDrive"
    if p.startswith("dropbox"):  # "Dropbox", "Dropbox (Personal)", "Dropbox (Coventry)"
        return "Dropbox"
    if p in ("google drive", "googledrive", "my drive", "shared drives") or p.startswith(
        "googledrive-"
    ):
        return "Google Drive"
    if p.startswith("icloud") or p in ("mobile documents", "com~apple~clouddocs"):
        return "iCloud"
    if p in ("box sync", "box drive"):
        return "Box"
    if p in ("nextcloud", "owncloud", "sharepoint", "seafile", "pcloud drive"):
        return {"owncloud": "ownCloud", "sharepoint": "SharePoint", "pcloud drive": "pCloud"}.get(
            p, part.strip().title()
        )
    return None


def _cloud_service(parts: tuple[str, ...], home_parts: tuple[str, ...]) -> str | None:
    folded = tuple(p.casefold() for p in parts)
    for i in range(len(folded) - 1):
        if folded[i : i + 2] == ("library", "cloudstorage") and i + 2 < len(parts):
            provider = parts[i + 2]
            prefix = provider.split("-", 1)[0].casefold()
            return _CLOUD_STORAGE.get(prefix, provider.split("-", 1)[0])
    for i, part in enumerate(parts[:-1] if len(parts) > 1 else parts):
        name = _cloud_name(part)
        if name is not None:
            return name
        # Box Drive makes a plain "Box" folder in the home folder (Windows and macOS).
        if part.casefold() == "box" and tuple(p.casefold() for p in parts[:i]) == tuple(
            h.casefold() for h in home_parts
        ):
            return "Box"
    return None


def _gvfs_service(parts: tuple[str, ...]) -> str | None:
    """A path under gvfs's folder: the service for a remote location, None for a local device."""
    for i, part in enumerate(parts[:-1]):
        if part in ("gvfs", ".gvfs") and i + 1 < len(parts):
            scheme = parts[i + 1].split(":", 1)[0].casefold()
            if scheme in _GVFS_CLOUD:
                return _GVFS_CLOUD[scheme]
            if scheme in _GVFS_NETWORK:
                return f"a network share ({_GVFS_NETWORK[scheme]})"
            return None  # a phone or a camera (mtp:, gphoto2:) is local
    return None


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes spaces, tabs and backslashes in octal (``\\040``)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_proc_mounts(text: str) -> list[Mount]:
    """The mount table from the text of Linux's /proc/mounts."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append(Mount(_unescape_mount(fields[1]), fields[2]))
    return mounts


def parse_mount_output(text: str) -> list[Mount]:
    """The mount table from macOS's (or BSD's) ``mount`` output:
    ``//amira@nas/staff on /Volumes/staff (smbfs, nodev, nosuid, mounted by amira)``."""
    mounts = []
    for line in text.splitlines():
        match = re.match(r"^.+? on (.+) \(([^,)]+)", line)
        if match:
            mounts.append(Mount(match.group(1), match.group(2).strip()))
    return mounts


def mount_table(system: str | None = None) -> list[Mount]:
    """This machine's mounted file systems (empty when they cannot be read, or on Windows)."""
    system = system or platform.system()
    if system == "Linux":
        try:
            return parse_proc_mounts(Path("/proc/self/mounts").read_text(errors="replace"))
        except OSError:
            return []
    if system in ("Darwin", "FreeBSD", "OpenBSD", "NetBSD"):
        import subprocess

        try:
            out = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return []
        return parse_mount_output(out.stdout)
    return []


def _mount_of(path: PurePath, mounts: list[Mount]) -> Mount | None:
    """The mount with the longest mount point that contains ``path``."""
    text = path.as_posix()
    best: Mount | None = None
    for m in mounts:
        point = m.point.rstrip("/") or "/"
        inside = point == "/" or text == point or text.startswith(point + "/")
        if inside and (best is None or len(point) > len(best.point.rstrip("/") or "/")):
            best = m
    return best


def windows_drive_is_remote(drive: str) -> bool:
    """Is a drive letter ("Z:") a mapped network drive? (Windows only; False elsewhere.)"""
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.windll.kernel32
    return bool(kernel32.GetDriveTypeW(drive.rstrip("\\") + "\\") == _DRIVE_REMOTE)


def synchronised_folder(
    path: Path | str,
    *,
    system: str | None = None,
    home: str | None = None,
    mounts: list[Mount] | None = None,
    drive_is_remote: Callable[[str], bool] | None = None,
) -> str | None:
    """The sync service or network share a path sits in ("OneDrive", "a network share (SMB)"),
    or None when it is on this laptop's own disks (a USB stick included).

    Args:
        system: ``platform.system()`` to reason as ("Windows", "Darwin", "Linux"); given in tests,
            when the path is not resolved on this machine either.
        home: the user's home folder (``Path.home()``).
        mounts: the mount table (read from the machine when not given; not used on Windows).
        drive_is_remote: whether a Windows drive letter is a mapped network drive.
    """
    real = system is None
    system = system or platform.system()
    raw = str(path)
    if real:
        try:
            raw = str(Path(raw).expanduser().resolve())
        except (OSError, RuntimeError):
            raw = str(Path(raw).expanduser().absolute())
    windows = system == "Windows"
    if raw.startswith(("\\\\", "//")) and not raw.startswith("///"):
        return "a network share"  # \\server\share\..., //server/share/...
    pure: PurePath = PureWindowsPath(raw) if windows else PurePosixPath(raw)
    home_text = home if home is not None else str(Path.home())
    home_parts = (PureWindowsPath(home_text) if windows else PurePosixPath(home_text)).parts
    service = _cloud_service(pure.parts, home_parts) or _gvfs_service(pure.parts)
    if service is not None:
        return service
    if windows:
        drive = pure.drive
        remote = drive_is_remote or windows_drive_is_remote
        if len(drive) == 2 and drive[1] == ":" and remote(drive):
            return f"a network drive ({drive.upper()})"
        return None
    mount = _mount_of(pure, mounts if mounts is not None else mount_table(system))
    if mount is not None and mount.fstype in NETWORK_FILESYSTEMS:
        return f"a network share ({NETWORK_FILESYSTEMS[mount.fstype]})"
    return None


# ===================================================================== a shared folder as a mailbox


@dataclass(frozen=True)
class SyncResult:
    """What one sync with a shared folder did."""

    written: tuple[Path, ...]
    imported: tuple[object, ...]  # ImportReport or BundleError, one per bundle read
    skipped: int  # bundles there for other laptops

    def summary(self) -> str:
        from peerreview.errors import BundleError

        new = sum(getattr(r, "new", 0) for r in self.imported if not isinstance(r, BundleError))
        held = sum(1 for r in self.imported if getattr(r, "held", False))
        refused = sum(1 for r in self.imported if isinstance(r, BundleError))
        parts = [f"{new} new change{'s' if new != 1 else ''} from the shared folder"]
        if held:
            parts.append(f"{held} bundle{'s' if held != 1 else ''} held for a coordinator")
        if refused:
            parts.append(f"{refused} refused")
        sent = "sent this laptop's changes" if self.written else "nothing to send yet"
        return "; ".join(parts) + f"; {sent}."


BUNDLE_GLOB = "*.prbundle"


def sync_folder(
    store: Any,
    folder: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SyncResult:
    """Use a shared folder (OneDrive, SharePoint, a network share, a USB stick) as a mailbox:
    import every other laptop's bundle there, then write this laptop's own, atomically.

    Each laptop writes one file named by its device id (a coordinator also one per school with
    records restricted to it), replacing its last: a bundle carries everything its recipients
    have not acknowledged, so replacing an older one loses nothing. Bundles encrypted for other
    laptops are skipped.
    """
    from peerreview.errors import BundleError
    from peerreview.sync import bundle, enrolment

    root = Path(folder)
    if not root.is_dir():
        raise BundleError(f"There is no folder at {root}. Choose the shared folder again.")
    me = store.device.id
    theirs = sorted(
        p for p in root.glob(BUNDLE_GLOB) if not p.name.startswith((".", me)) and p.is_file()
    )
    results = bundle.import_bundles(store, theirs, progress=progress, cancelled=cancelled)
    imported: list[object] = []
    skipped = 0
    for r in results:
        if isinstance(r, bundle.NotForThisLaptop):
            skipped += 1
        else:
            imported.append(r)
    written: list[Path] = []
    state = enrolment.trust_state(store)
    if enrolment.role(store, state) is not None:
        targets: list[tuple[Path, str | None]] = [(root / f"{me}.prbundle", None)]
        if enrolment.is_coordinator(store, state):
            targets += [
                (root / f"{me}.school-{school}.prbundle", school)
                for school in bundle.restricted_schools(store)
            ]
        for path, school in targets:
            try:
                bundle.export_bundle(store, path, for_school=school, cancelled=cancelled)
                written.append(path)
            except bundle.NobodyToSendTo:
                continue
    return SyncResult(tuple(written), tuple(imported), skipped)
