# hakobu's messages in English. Every message has a twin in i18n/ja/hakobu.ftl
# (tests check both files hold the same ids, and that src/ uses them all).
# Arguments are already escaped and formatted by src/cli/render.rs.

## Line prefixes (src/cli/term.rs)

prefix-error = error: { $text }
prefix-hint = hint: { $text }
prefix-code = code: { $code }
prefix-warning = warning: { $text }
# what happened to the data (#26)
prefix-data = {"  "}{ $text }

## Sizes and counts

size-b = { $n } B
size-kib = { $value } KiB
size-mib = { $value } MiB
size-gib = { $value } GiB
size-tib = { $value } TiB
count-files = { $n ->
    [one] 1 file
   *[other] { $shown } files
}

## Progress (the label before a bar)

phase-packing = Packing
phase-flushing = Writing to the stick…
phase-reading-back = Reading back
phase-checksum = Checksum
phase-checking = Checking
phase-scanning = Looking at everything on the stick…
phase-signing = Reading back, signing
phase-checking-signed = Checking, signature
phase-checksum-signed = Checksum, signature

## Notices (after "warning: ")

notice-default-key-on-medium = your secret key { $key } is on the same medium as the archive ({ $medium }); never let the key travel with the data
notice-key-like-file-on-medium = { $path } looks like a secret key and is on the same medium as the archive; move it off the stick
notice-pack-leftover-removed = removed { $path }, left behind by an interrupted pack (an incomplete encrypted file)
notice-unpack-leftover-removed = removing { $path }, left behind by an interrupted unpack (it held unverified data)
notice-fat-split-capped = the stick is formatted FAT32, which holds at most { $limit } per file: volumes will be { $limit } each instead
notice-free-space-unknown = the medium of { $dir } does not say how much space is free, so it was not checked before writing; if it fills up, nothing is saved
notice-fat-may-split = the stick is formatted FAT32, which holds at most { $limit } per file: if the archive is larger, it is split into volumes NAME.age.001, .002, … (keep them together)

## What the operating system said

io-no-space = the disk or stick is full (no space left on device)
io-file-too-large = the file is too large for this file system (FAT32 holds at most 4 GiB - 1 per file)
io-device-error = input/output error: the medium may be faulty or was removed
io-permission-denied = permission denied
io-not-found = no such file or folder
io-read-only = the medium is read-only
io-path-too-long = the path is too long for this system
# the OS's own words (#26): in the title in English, in a detail marked for IT in Japanese
io-other = { $detail }
detail-os = { $detail }
io-failed = { $action } { $path }: { $reason }
io-action-read = cannot read
io-action-read-back = cannot read back
io-action-write = cannot write
io-action-create = cannot create
io-action-open = cannot open
io-action-rename = cannot rename to
io-action-replace = cannot replace
io-action-remove = cannot remove
io-action-save = cannot save
io-action-use = cannot use

## Cancelled

cancelled = cancelled
interrupted = interrupted
# what happened to the data: one line after the error, said once (#26; DataOutcome in src/error.rs)
data-nothing-saved = Nothing was saved.
data-nothing-released = No file was taken out of the archive.
data-no-key-file = No key file was written.
data-address-book-unchanged = The address book was not changed.
data-ledger-unchanged = The export ledger was not changed.
data-nothing-written = Nothing was written.
data-unpack-removed = What had been unpacked was removed: nothing was left in the destination.
data-ledger-no-new-record = No record was added to the export ledger.
data-written-removed = What had been written was removed: nothing was saved.
data-unpack-partial = Some verified files may already be in the destination; nothing unverified was left there.
data-pack-partial = The archive may have been saved: look in the destination before packing again.
data-partial = Part of the work may already be done: check before running the command again.
data-nothing-changed = Nothing was changed.

## Errors: what happened (title) and what to do (hint)

error-no-recipients = no recipient given
hint-no-recipients = Name the receiver with --to NAME (see `hakobu recipients list`), give a public key with -r age1..., a recipients file with -R, or -p for a passphrase.
error-nothing-to-pack = nothing to pack: name at least one file or folder
error-unknown-name = "{ $name }" is not in the address book
error-unknown-name-suggest = "{ $name }" is not in the address book; did you mean { $suggestions }?
# a name shown among suggestions (#26: no ASCII quotes in Japanese)
quoted-name = "{ $name }"
suggestion-separator = {" "}or{" "}
hint-unknown-name = `hakobu recipients list` shows the names in { $config }.
error-no-matching-key-default = your key file { $key } (the one hakobu finds by itself) cannot open { $archive }
hint-no-matching-key-default = This archive was made for another office's key. If you have that key file, name it with -i KEYFILE; otherwise ask the sender who it was made for.
error-no-matching-key-given = none of the given keys ({ $keys }) can open { $archive }
error-no-matching-key = none of the given keys can open { $archive }
hint-no-matching-key = Check that you use the key of the office this archive was made for (-i KEYFILE), or the right passphrase.
error-needs-key-file = this archive needs a key file: give it with -i KEYFILE
error-needs-passphrase = this archive is protected by a passphrase, not a key file: run the command without -i
error-wrong-passphrase = the passphrase does not open { $archive }; check it and try again
error-key-file-passphrase-wrong = the key file's passphrase is wrong, or the key file is damaged
error-not-a-key-file = { $path } is not a key file (it holds no age or SSH secret key)
error-key-file-empty = the key file { $path } is empty: it holds no key
hint-not-a-key-file = -i takes your secret key file (the one hakobu keygen wrote), not the archive or a document.
error-key-file-missing = the key file { $path } does not exist
hint-key-file-missing = Check the name after -i. `hakobu keygen` makes a key file; without -i, hakobu uses your key file at its default location.
error-prompt-cancelled = cancelled
error-passphrases-differ = the passphrase and its confirmation differed ({ $tries })
passphrase-tries = { $n ->
    [one] 1 time
   *[other] { $n } times
}
hint-passphrases-differ = Run the command again and type the same passphrase twice.
error-not-an-archive = { $path } is not a hakobu archive (not an age-encrypted file)
hint-not-an-archive = Make sure you opened the .age file that hakobu wrote, not another file.
error-corrupted = { $path } is damaged or truncated: the encrypted data does not authenticate
hint-corrupted = Ask the sender for a fresh copy; the medium may be faulty.
error-truncated-empty = { $path } is incomplete: the file is empty (the copy was cut short)
error-truncated = { $path } is incomplete: it ends after { $size } ({ $bytes } bytes), before the end of the archive (the copy was cut short)
hint-truncated = Copy the archive again from the sender's stick (wait until copying has finished before removing the stick), or ask the sender for a new copy.
hint-tampered = Do not use this archive; ask the sender for a new one and tell IT.
error-sidecar-mismatch = { $path } does not match its checksum file: the file on the medium is damaged or was altered
error-sidecar-missing = the checksum file { $path } is missing or malformed
hint-sidecar-missing = Copy the .age.sha256 file that came with the archive next to it, or verify with -i KEYFILE.
hint-volumes = Copy every volume (NAME.age.001, .002, ...) unchanged into one folder, with its .sha256 file, and give the first one.
error-output-exists = { $path } already exists
hint-output-exists-unpack = Choose another destination, or use --force to replace existing files.
hint-output-exists-archive = Choose another name with --name, or leave --name out (hakobu then picks a new one).
hint-output-exists-key = That key file may still be needed to open archives sent to you: keep it. To make another key, choose another file with -o; remove the old key first only if nothing needs it any more.
error-secret-key-in-sources = { $path } looks like a secret key; keys must never travel with the data
hint-secret-key-in-sources = Remove the key file from what you pack; hand keys over separately.
error-not-enough-space = not enough free space in { $dir }: the archive needs up to { $needed }, only { $free } is free
hint-not-enough-space = Use a larger stick or another medium, or free space on this one. To carry it on several sticks, pack to a local folder with --split SIZE and copy the volumes.
error-read-back-mismatch = READ-BACK FAILED: the archive read back from { $dir } differs from what was written: the medium is faulty or fake ({ $archive })
hint-read-back-mismatch = Do not use this stick for archives: use another one. (A capacity test such as f3 can confirm a fake stick.)
error-destination-removable = refused to unpack into { $dest }: it is on a { $medium }, and this would put readable personal data on a medium that is carried around; unpack to this PC
error-destination-on-archive-medium = refused to unpack into { $dest }: it is on the same { $medium } as the archive { $archive }, and this would put readable personal data on the stick; unpack to this PC
hint-destination-removable = Give a folder on this computer with -o (e.g. in Documents). If the files must really be written there, add --allow-removable-destination.
hint-source-changed = Close the program that is writing the file and pack again.
error-source-changed = { $path } changed while it was being packed
hint-no-space = Free some space or use a larger medium, then try again.
hint-path-too-long = Choose a destination folder with a shorter path (closer to the top of the disk).
hint-file-too-large = Use an exFAT stick, or pack the files into several smaller archives.
# hostile input (#32): caps before the age crate
error-header-too-large = { $path } is not a hakobu archive, or is damaged: its header is larger than any hakobu writes (over { $size } or { $stanzas } recipients)
io-not-a-file = it is not a regular file (a FIFO, device, socket or folder): nothing was read from it
error-too-many-recipients = an archive for { $count } recipients would have a header larger than hakobu reads (over { $size } or { $stanzas } recipients)
hint-too-many-recipients = Pack separate archives for smaller groups of recipients.
header-too-large = the header is larger than any hakobu writes (not a hakobu archive, or damaged)
hint-header-too-large = Nothing was read from it and nothing was released. Ask the sender for a fresh copy, and tell IT if this file came on a stick.
# machine-wide policy and the config check (issue #25)
error-config-unknown-name = { $setting } in { $path } names "{ $name }", which is neither a name in that file's [recipients] nor a public key
error-config-unknown-name-suggest = { $setting } in { $path } names "{ $name }", which is neither a name in that file's [recipients] nor a public key (did you mean { $suggestions }?)
hint-config-unknown-name = Ask IT: "{ $name }" needs a line with its public key under [recipients] in that file, or { $setting } needs the right name (docs/KEYS.md).
error-name-in-machine-policy = "{ $name }" is defined by this PC's machine-wide policy { $path }; only IT can change it there

# keys and the stick check (issue #32: scan)
error-key-file-lower-case = the key file { $path } holds a key in small letters (line { $line }): the reference age refuses it, so hakobu does too; nothing was opened
hint-key-file-lower-case = Use the key file exactly as hakobu keygen or age-keygen wrote it (the key in capital letters, AGE-SECRET-KEY-1…). If it was retyped or converted, ask IT for the original.
error-not-made-by-hakobu = { $path } was not made by hakobu: its size, or what follows its age header, fits no hakobu archive (its checksum file matches, but proves only that nothing changed since it was made)
hint-not-made-by-hakobu = Do not accept it as a hakobu archive. Ask the sender how it was made; with the key, hakobu verify -i checks every byte.

## pack

pack-audience-passphrase = This archive will open with the passphrase only.
pack-audience = This archive will open only with the key of:
pack-audience-policy = {"  "}[added by IT policy]
pack-audience-default = {"  "}[IT's default destination]
pack-split = The archive is split into { $volumes } volumes; keep them together with { $sidecar } (receivers give the first volume).
pack-saved-read-back = The archive is saved and was read back from the medium unchanged
pack-saved-no-read-back = The archive is saved (not read back: --no-verify)
pack-done = Packed { $files } ({ $bytes }). { $saved }. Everything is flushed to the medium: you can remove the stick now (no need to "eject" it for hakobu's sake).

# the output medium (#25: pack)
error-source-on-output-medium = { $source } is on the same stick as the archive would be ({ $out }): its unencrypted data would stay on the stick beside the archive
hint-source-on-output-medium = Copy { $source } to this PC first (e.g. into Documents) and pack the copy; then delete the original from the stick.
error-archive-key-on-medium = { $key } is a key that can open this archive, and it is on the stick the archive would be saved to ({ $out })
error-archive-key-on-medium-maybe = { $key } is on the stick the archive would be saved to ({ $out }) and looks like a secret key; it is protected (or a plugin's), so hakobu cannot tell whose
hint-archive-key-on-medium = Move the key file off the stick (to this PC, or hand it to IT), then pack again: a key must never travel with the data.
notice-key-scan-partial = { $root } holds more files than hakobu looks through for key files: the rest was not checked for keys
pack-done-local = Packed { $files } ({ $bytes }). { $saved }. Saved in { $dir }

## unpack

unpack-done = Unpacked { $files } ({ $bytes }) into { $dest }; every file matched its checksum.

## Carrying media (inside "refused to unpack into …")

medium-removable = removable medium (USB stick or card)
medium-fat = FAT-formatted medium (a USB stick or card)
medium-exfat = exFAT-formatted medium (a USB stick or card)

## Passphrase prompts (src/cli/prompt.rs)

prompt-passphrase-label = Passphrase:
# pinentry's dialog title and buttons (#26)
prompt-dialog-title = hakobu
prompt-dialog-ok = OK
prompt-dialog-cancel = Cancel
prompt-new-key-passphrase = Passphrase to protect the new key file (you will type it to open archives)
# a signing key is used when packing (#26)
prompt-new-signing-key-passphrase = Passphrase to protect the new signing key (you will type it each time you pack)
prompt-new-archive-passphrase = Passphrase for the archive (leave empty to generate a strong one)
prompt-again = Type the same passphrase again
prompt-empty-key-passphrase = An empty answer protects nothing: type one (try { $next } of { $tries }), or press Ctrl-C to stop.
prompt-weak = weak choice: about { $bits } bits of strength, hakobu recommends at least { $recommended } (e.g. five random words, or 12 random letters, digits and signs). Type it again to use it anyway, or type anything else to choose another.
prompt-differ = The two entries differ. Choose one and type it twice (try { $next } of { $tries }).
prompt-archive-retry = That did not open the archive; try again (try { $attempt } of { $tries }).
prompt-archive-passphrase = Passphrase for this archive
prompt-key-file-retry = That did not unlock the key file; try again (try { $attempt } of { $tries }).
prompt-key-file-passphrase = Enter the passphrase of the key file { $path }
prompt-signing-key-retry = That did not unlock the signing key; try again (try { $attempt } of { $tries }).
prompt-signing-key-passphrase = Enter the passphrase of the signing key { $path } (it signs the archive you are saving)

## keygen

keygen-saved-protected = Your secret key is saved in { $key } (protected by the passphrase you chose).
keygen-saved-unprotected = Your secret key is saved in { $key } (NOT protected by a passphrase).
keygen-keep-default = Keep it private and never put it on the stick; hakobu finds it there by itself.
keygen-keep-named = Keep it private and never put it on the stick; open archives with: hakobu unpack ARCHIVE -o DIR -i { $key }
keygen-hand-over = { $saved }
    { $finding }

    Hand this line to IT (it is your public key and safe to send by e-mail or chat):

    {"    "}{ $recipient }

    IT adds it to the address book under your office's name, e.g.:
    {"    "}hakobu recipients add OFFICE { $recipient }

## verify (a table: label, value)

verify-archive = archive
verify-volumes = volumes
verify-checksum = checksum
verify-checksum-match = match
verify-checksum-mismatch = mismatch
verify-checksum-missing = missing
verify-checksum-skipped = skipped (every byte checked with the key)
verify-header = header
verify-header-damaged = damaged
verify-ok = ok
verify-protection = protection
verify-protection-passphrase = passphrase
verify-protection-keys = keys
verify-contents = contents
verify-contents-failed = FAILED
verify-contents-not-checked = not checked
verify-files = files
verify-files-value = { $files } ({ $bytes })
verify-result = result
verify-pass = PASS
verify-fail = FAIL
verify-problem = problem: { $problem }
    code: { $code }

## verify FOLDER: the stick check

scan-clean = CLEAN: nothing on this stick can be read without a key ({ $n ->
    [one] 1 archive, intact
   *[other] { $archives } archives, all intact
}).
scan-unsafe = NOT SAFE: { $n ->
    [one] 1 file on this stick can be read by anyone who finds it. Move it
   *[other] { $readable } files on this stick can be read by anyone who finds it. Move them
} off the stick (to this PC) or delete { $n ->
    [one] it
   *[other] them
}.
scan-unsafe-keys = NOT SAFE: a secret key is on this stick ({ $keys } found; { $n ->
    [0] no other readable file
    [one] 1 readable file
   *[other] { $readable } readable files
}). Whoever finds the stick can open the archives made for that key: take the key off and tell IT.
scan-damaged = DAMAGED: { $damaged } of { $archives } archives failed their check; nothing readable was found.
scan-archive = archive  { $path }: { $result }
scan-archive-ok = ok
scan-archive-failed = failed
scan-more = {"  "}... and { $count } more (--json lists all)
scan-finding-key = SECRET KEY  { $path }
scan-finding-readable = readable   { $path } ({ $size }, { $kind }){ $personal }
scan-looks-personal = {" "}— looks like a list of people (a guess from its first rows)
scan-finding-staging = readable   { $path } (an interrupted unpack's folder: may hold unpacked files)
scan-finding-temp = leftover   { $path } (an interrupted pack's temporary file, encrypted; the next pack here removes it)
scan-finding-incomplete = incomplete { $path } (a volume whose set has no first volume .001)
scan-finding-orphan-sidecar = orphan     { $path } (a checksum file without its archive)
scan-finding-no-sidecar = no checksum { $path } (without its .sha256 file the archive can only be checked with a key)
scan-finding-system = system     { $path } (made by Windows or macOS)
scan-type-spreadsheet = spreadsheet
scan-type-csv = CSV
scan-type-pdf = PDF
scan-type-image = image
scan-type-document = document
scan-type-text = text
scan-type-other = other

# the stick check by content (issue #32: scan)
scan-finding-unreadable = unchecked  { $path } (could not be read here: what it holds is unknown, and another computer may read it)
scan-unsafe-unchecked = NOT SAFE: { $n ->
    [one] 1 item on this stick could not be checked
   *[other] { $count } items on this stick could not be checked
} (this PC cannot read { $n ->
    [one] it
   *[other] them
}; another computer may). Find out what { $n ->
    [one] it holds
   *[other] they hold
} (ask IT if access is refused), then check again.

## Names and sources that cannot be packed safely

path-too-long = path longer than { $max } bytes
path-name-too-long = name longer than { $max } bytes
path-control-character = control character { $code } in name
path-invisible-character = invisible or direction-changing character { $code } in name
path-windows-forbidden = character '{ $character }' is not allowed in names on Windows
path-trailing-dot-or-space = name ends with a dot or space (Windows drops them)
path-windows-reserved = reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9)
path-short-name-alias = looks like a Windows 8.3 short name (e.g. PROGRA~1), which can alias another file
path-collides = collides with "{ $other }" on case-insensitive or Unicode-normalising file systems (exFAT, NTFS, APFS)
source-symlink = it is a symbolic link; hakobu does not follow links (copy the real file in instead)
source-special = it is a special file (device, FIFO or socket), not a regular file
source-no-name = it is a whole drive (or the root folder): it has no name to keep in the archive
source-reserved = the names .hakobu and .hakobu-staging-* are reserved for hakobu's own files
source-name = its name cannot be unpacked safely everywhere ({ $problem })
error-unsafe-source = cannot pack { $path }: { $problem }
error-unsafe-sources = { $count } items cannot be packed safely:
error-unsafe-sources-more = {"  "}... and { $count } more
hint-unsafe-source = Remove or replace that item, then pack again.
hint-source-root = Choose the folders and files on the drive instead (open it, select them all and drop or name those), then pack again.
hint-unsafe-sources = Rename, remove or replace those items, then pack again.
error-output-not-a-folder = { $path } is not a folder; -o takes the folder to write the archive into
error-archive-is-folder = { $path } is a folder, not an archive file
error-output-inside-source = the output folder { $output } is inside { $packed }, which is being packed; write the archive somewhere else
error-destination-busy = { $path } is in use by another hakobu; wait for it to finish
error-destination-is-symlink = the destination { $path } is a symbolic link; give the real folder instead
error-destination-not-a-folder = the destination { $path } is not a folder

## i18n remainder (#14): problems inside keys, names, the config and archives
key-problem-secret = is a SECRET key, not a public key: it was not used; treat that key as exposed
key-problem-not-a-key = is not a public key (age1..., ssh-ed25519 ..., ssh-rsa ..., or a plugin's age1...)
name-problem-empty = a name cannot be empty
name-problem-control = a name cannot contain control characters
name-problem-too-long = a name can be at most { $max } characters long
name-problem-looks-like-key = that looks like a key, not a name; use: hakobu recipients add NAME KEY
config-problem-missing = the file does not exist
config-problem-not-utf8 = not UTF-8 text
config-problem-bad-name = recipient name "{ $name }": { $problem }
config-problem-no-keys = recipient "{ $name }" has no keys
config-problem-bad-key = recipient "{ $name }", key { $index } { $problem }
config-problem-duplicate-name = recipient "{ $name }" appears twice (names are compared after Unicode normalisation)
config-problem-bad-policy-name = { $field } entry "{ $entry }": { $problem }
config-problem-bad-policy-key = { $field }: a key { $problem }
path-not-utf8 = name is not valid UTF-8
path-empty = empty name
path-absolute = absolute path
path-backslash = backslash in name (a Windows path separator)
path-too-deep = folders nested deeper than { $max } levels
path-empty-component = empty path component ("//")
path-traversal = "." or ".." component (path traversal)
path-nul = NUL byte in name
path-parent-not-folder = its parent is not a folder of the same name
path-parent-missing = its parent folder is not in the archive before it
path-duplicate = appears twice
entry-kind-symlink = a symbolic link
entry-kind-hard-link = a hard link
entry-kind-device = a device file
entry-kind-fifo = a FIFO
entry-kind-contiguous = a contiguous file
entry-kind-sparse = a sparse file
entry-kind-global-pax = a global pax header
entry-kind-unknown = an entry of unknown type
path-not-file-or-folder = it is { $what }; only files and folders are allowed
path-pax-size-mismatch = its pax size record disagrees with its header
path-mtime-too-late = its modification time is past the year 9999
path-folder-with-data = a folder entry carries data
path-link-target = it carries a link target
path-gnu-long-name = its name comes from a GNU long-name record, which hakobu never writes
path-unexpected-field = it carries sparse-file or link records ({ $field })
path-size-beyond-archive = it claims { $bytes } bytes, more than the archive holds (the archive is truncated, or made to fill the disk)
path-pax-malformed = its pax header is malformed
path-pax-too-large = its pax header is larger than any hakobu writes
path-pax-size-not-a-number = its pax size record is not a plain number
path-pax-key-twice = its pax header sets "{ $key }" twice
path-file-name-ends-with-slash = a file name ends with a slash (other tools make a folder of it)
layout-tar-in = { $detail } (in the header of "{ $entry }")
layout-entries-after-sums = entries follow the checksum list
layout-unexpected-reserved = unexpected hakobu entry "{ $entry }" (expected { $expected })
layout-manifest-too-large = the manifest is larger than any hakobu writes
layout-ends-inside = it ends inside "{ $entry }"
layout-files-after-manifest = files follow the manifest
layout-data-after-end = data follows the end of the archive
layout-no-manifest = it has no manifest (.hakobu/manifest.json): was it made with tar and age instead of hakobu?
layout-no-sums = it has no checksum list
layout-bad-end = the end-of-archive marker or the padding is wrong
manifest-not-json = not valid JSON ({ $detail })
manifest-unsupported-version = unknown format "{ $version }" (this hakobu reads { $supported }; a newer hakobu may be needed)
manifest-not-canonical = not in canonical form
manifest-bad-archive-id = archive_id is not 32 lower-case hex digits
manifest-bad-digest = bad SHA-256 for { $path }
manifest-size-overflow = the file sizes add up to more than 2^64 bytes
manifest-totals-mismatch = totals do not add up
manifest-path-not-canonical = path "{ $path }" is not in canonical form
manifest-sums-disagree = SHA256SUMS does not agree with the manifest
manifest-not-in-manifest = { $path } is in the archive but not in the manifest
manifest-missing-from-archive = { $path } is listed in the manifest but missing from the archive
manifest-out-of-order = the archive holds { $path } where the manifest lists another entry
manifest-folders-differ = the folders in the archive differ from the manifest
volume-duplicate = { $first } and { $second } both claim to be volume { $number }
volume-missing-listed = volume { $name } is missing (the checksum file lists it)
volume-missing = volume { $name } is missing
volume-foreign = { $name } does not belong to this archive (its checksum file does not list it); remove it or fetch the right one
volume-empty = volume { $name } is empty (truncated)
volume-truncated = volume { $name } is truncated: { $size } where the others have { $expected }
volume-oversized = volume { $name } is larger than the volumes before it: it does not belong to this set, or an earlier one is truncated
volume-out-of-order = volume { $name } holds the data of { $holds }: the volumes are out of order (renamed?)
volume-changed = { $name } changed while it was being read
volume-damaged = volume { $name } does not match its checksum: it is damaged or was altered
header-truncated = the file ends inside the header
header-unknown-version = made by a newer, unknown version of age
header-malformed = the header is malformed
error-bad-recipient = -r: the key "{ $key }" { $problem }
error-bad-recipient-text = -r: the text given { $problem }
error-recipients-file-missing = the recipients file { $path } does not exist
error-bad-recipients-file = the recipients file { $path }, line { $line }: the text { $problem }
error-recipients-unusable = cannot encrypt to these recipients: { $detail }
error-passphrase-with-names = -p cannot be combined with --to: an age file is either for keys or for one passphrase
error-bad-label-folders = --name "{ $name }": the name must be a plain name without folders
error-bad-label = --name "{ $name }": { $problem }
error-split-too-small = --split { $size } would make more than { $volumes } volumes for up to { $bound }; choose a larger size
error-no-key-location = no home folder known; give the key file's path with -o
error-no-config-location = no config location is known: give one with --config FILE
error-config = the config file { $path } cannot be used: { $problem }
error-bad-name = cannot use the name "{ $name }": { $problem }
error-key-not-listed = the key { $key } is not listed under { $name }
error-random = the operating system's random generator failed: { $detail }
error-policy-forbids-passphrase = IT policy does not allow passphrase-only archives (policy.allow_passphrase = false); pack --to NAME instead
error-policy-escrow-needs-keys = IT policy adds an escrow key to every archive (policy.always), and a passphrase archive cannot carry one; pack --to NAME instead
error-policy-forbids-raw-keys = IT policy allows only names from the address book (policy.allow_raw_keys = false); use --to NAME
error-mixed-post-quantum = this archive would mix post-quantum and classic recipients; the classic ones ({ $classic }) would let a future quantum computer open it
error-name-in-policy = { $name } is named in the config's [policy]; change the policy first
error-config-managed = { $path } is managed by IT (policy.managed = true); ask IT to change the address book
error-config-read-only = { $path } is read-only; ask IT to change the address book
error-key-on-archive-medium = { $key } would be on the same medium as the archive { $archive }; a key must never travel with the data. Keep the key on this computer (the default location) or another medium
error-key-file-encrypted-to-keys = the key file { $path } is encrypted to other keys, not to a passphrase: hakobu cannot open it
error-unsupported-ssh-key = the key file { $path } holds an SSH key of a kind hakobu cannot use
error-key-file-unusable = cannot use the key file { $path }
error-key-unusable = cannot use the key (or its plugin)
error-passphrase-no-terminal = could not read the passphrase: no terminal
error-passphrase-unavailable = could not read the passphrase: { $detail }
error-empty-passphrase = an empty passphrase protects nothing
error-excessive-work = the archive's passphrase protection demands too much work (work factor { $factor }); it was not made by hakobu's defaults
error-bad-header = { $path } has a damaged header: { $problem }
error-bad-layout = { $path } is not a valid hakobu archive: { $problem }
error-bad-manifest = the archive's manifest is invalid: { $problem }
mismatch-size = size
mismatch-mtime = modification time
error-checksum-mismatch = file { $path } does not match the manifest ({ $what })
error-unsafe-entry = the archive holds an unsafe entry: "{ $entry }": { $problem }
error-volumes-uncounted = { $cause }; with no checksum file ({ $sidecar }) to count the volumes, a volume after { $last } may be missing ({ $found } found)
hint-config = Fix the file (docs/KEYS.md shows the format), or ask IT for a fresh copy.
hint-passphrase-unavailable = Run hakobu in a terminal; for a service account without one, use keygen --no-passphrase.
hint-empty-passphrase = Choose a passphrase, or use --no-passphrase for a service account.
error-recipients-add-secret = refused: that is a SECRET key, not a public key
hint-recipients-add-secret = Add the public key (age1..., printed by `hakobu keygen`). The secret key was typed on a command line: treat it as exposed and make a new one.
error-recipients-add-bad-key = refused: the key "{ $key }" { $problem }
key-kind-public = public key
key-kind-x25519 = age X25519 key
key-kind-ssh = SSH key
key-kind-tag = hardware key (age1tag)
key-kind-tagpq = post-quantum hardware key (age1tagpq)
key-kind-pq = post-quantum key (age-plugin-pq)
key-kind-plugin = plugin key (age-plugin-{ $name })
count-folders = { $n ->
    [one] 1 folder
   *[other] { $shown } folders
}
demo-kept = Kept the demo folder: { $path } (remove it when done).
demo-removed = Removed the demo folder and everything in it.
demo-where = hakobu demo: everything happens in { $path }
demo-step-members = 1. Made a synthetic member list (20 invented people): { $path }
demo-step-key = 2. Made a demo key for the receiving office (hakobu keygen): { $path }
    {"   "}its public key: { $public }
demo-sender = Sending office (demo)
demo-step-sign-key = {"   "}and a signing key for the sending office (hakobu keygen --sign): { $path }; the receiving side lists its public half, so it can tell who made the archive
demo-step-pack = 3. Packed { $files } into { $path } (hakobu pack -r KEY -o STICK): { $size }, read back from the "stick" unchanged
demo-step-pack-stick = {"   "}the stick now holds only the encrypted archive, its checksum file { $sidecar } and its signature (.sig)
demo-step-verify = 4. Verified it without any key, as IT would at the door (hakobu verify): checksum and header ok
demo-step-unpack = 5. Unpacked it with the demo key (hakobu unpack -i KEY -o DIR): { $files } into { $path }
demo-step-compare = 6. Compared { $path } with the original: identical, byte for byte
demo-done = Done: this is the whole job. For real data, see README: pack --to OFFICE, unpack, verify.
list-summary = { $files }, { $folders }, { $bytes } in all; archive { $id } made { $created } by { $tool }; every checksum matched.
book-state-new = {" "}(does not exist yet: `hakobu recipients add NAME KEY` creates it)
book-state-managed = {" "}(managed by IT)
book-summary = { $n } names in { $place }{ $state }
book-policy-always = IT policy: every archive is also encrypted to { $names }
book-policy-default-to = IT policy: without --to, archives go to { $names }
book-policy-no-passphrase = IT policy: passphrase-only archives are not allowed
book-policy-no-raw-keys = IT policy: only names from the address book may be used (no -r/-R)
book-show = { $name } has { $n } key(s):
book-name-trimmed = the name "{ $given }" had spaces around it; it is stored as "{ $stored }"
book-names-and = {"'s and "}
book-key-shared = the key { $key } is also { $names }'s: whoever holds it can open archives for both; check that this is intended
book-key-present = The key { $key } is already present under { $name }.
book-added = Added { $n ->
    [one] 1 key
   *[other] { $n } keys
} to { $name } in { $place }.
book-removed-name = Removed { $name } from { $place }.
book-removed-keys = Removed { $n } key(s) from { $name } in { $place }.
book-no-location = (no config location)
# machine-wide policy in `recipients list` (issue #25)
book-machine-policy = Machine policy: { $path } (it decides [policy], [ledger], [signing] and [senders]; a user's config can only add names)
book-machine-managed = Machine policy: { $path } (managed = true: it decides everything, users' address books are not used)
book-summary-machine = { $n } names: { $machine } from the machine policy, { $user } from { $place }{ $state }
book-user-ignored = Not used from { $place }: { $tables } (the machine policy decides these)
book-user-shadowed = Defined by the machine policy, so not taken from { $place }: { $names }
book-machine-changeable = WARNING: users other than the administrators can change { $path } or its folder, so its rules protect nothing; IT: give them an ACL (or owner and mode) that only administrators can change (情報システム担当へ §8)
progress-rate = { $size }/s
progress-left = ETA { $time }
time-hms = { $h }h { $m }m { $s }s
time-ms = { $m }m { $s }s
time-s = { $s }s
generated-passphrase = Generated passphrase (about { $bits } bits: far stronger than one typed by hand):

    {"    "}{ $passphrase }

    Write it down and hand it over separately (by phone, never with the stick). Read it out group by group: it holds only the digits 2-9 and lower-case letters a-z without look-alikes (no 0, 1, i, l, o), and the hyphens are part of it.
error-stdout = cannot write to standard output: { $detail }
ledger-chain-broken-warning = the ledger does not verify; run `hakobu ledger verify`
ledger-receipt-imported = added the receipt of archive { $id } to { $path } (record { $seq })
ledger-problem-bad-line = line { $line } is not a ledger record
ledger-problem-altered = record { $seq } (line { $line }, archive { $id }) was altered: the next record's hash of it does not match
ledger-problem-missing-one = record { $seq } is missing (before line { $line })
ledger-problem-missing = records { $from } to { $to } are missing (before line { $line })
ledger-problem-torn-tail = line { $line }, the last, was cut off while being written; the next pack sets it aside in the .torn file
error-ledger-unwritable = cannot write the export ledger { $path }: { $reason }
error-ledger-broken = the export ledger { $path } does not verify ({ $n } problem(s)): { $problem }
error-ledger-record-not-found = no record of archive { $id } in the export ledger { $path }
error-ledger-tag-required = IT's policy requires --{ $field } for every pack
error-bad-receipt = refused the receipt file { $path }: { $problem }
ledger-key-fingerprint = key { $start }
ledger-escrow = { $who } (escrow)
ledger-passphrase = passphrase
ledger-received = received
ledger-refused = refused: { $reason }
ledger-field-id = archive id
ledger-field-packed = packed
ledger-packed-at = { $time } (No. { $seq })
ledger-field-sender = sender
ledger-field-recipients = recipients
ledger-field-opens-with = opens with
ledger-field-contents = contents
ledger-contents = { $files }, { $folders }, { $size }
ledger-field-archive = archive
ledger-archive-facts = { $size } in { $n } file(s), SHA-256 { $sha256 }
ledger-removable = removable
ledger-fixed = fixed
ledger-removable-unknown = removable: unknown
ledger-field-medium = medium
ledger-field-algorithms = algorithms
ledger-field-purpose = purpose
ledger-field-categories = categories
ledger-field-receipts = receipts
ledger-no-receipts = none yet
ledger-field-receipt = receipt
ledger-receipt-verified = arrived, verified
ledger-receipt-refused = refused ({ $reason })
ledger-receipt-line = { $time } { $result } by { $who } ({ $source })
ledger-verifies = the export ledger { $path } verifies: { $count ->
    [one] 1 record
   *[other] { $n } records
}, chain intact
ledger-does-not-verify = the export ledger { $path } does NOT verify: { $n } problem(s)
ledger-head = last record's hash: { $hash } (keep a copy elsewhere: it shows the newest records were not cut off)
alg-role-key-agreement = key agreement
alg-role-key-encapsulation = key encapsulation
alg-role-key-wrapping = key wrapping
alg-role-passphrase-kdf = key from the passphrase
alg-role-key-derivation = key derivation
alg-role-encryption = encryption and tamper detection
alg-role-checksum = checksum
alg-role-other = other
alg-ssh = SSH public key (RSA-OAEP or Ed25519/X25519)
alg-plugin = a plugin's method
unknowable-passphrase-handover = whether the passphrase was handed over safely (for a passphrase archive)
unknowable-key-leaked = whether a receiving office's key file or the passphrase leaked by another way
unknowable-copies = whether the same data left unencrypted on another medium or by e-mail
unknowable-contents = what the files hold (the ledger has no contents; file names only with the audit copy)
report-title = Lost-stick report: what hakobu's export ledger knows
report-intro = Under the nine items a leak report to the PPC states (Act on the Protection of Personal Information, Enforcement Rules Art. 8(1)). Items marked "to be filled in" are not known to hakobu.
report-fill-in = (to be filled in: hakobu cannot know this)
report-1-summary = 1. Summary
report-id = archive id: { $id }
report-packed = packed { $time } by { $sender }
report-purpose = purpose: { $purpose }
report-medium = medium: { $fs }, { $removable }{ $label }
report-loss-circumstances = when, where and how it was lost: (to be filled in)
report-2-items = 2. Items of personal data concerned
report-no-categories = data categories: not recorded (pack was not given --category)
report-categories = data categories: { $list }
report-list-separator = {", "}
report-audit-copy = file names: the record holds a list encrypted to IT's audit key only (IT can read it)
report-3-people = 3. Number of people whose data is concerned
report-counts = { $files }, { $folders }, { $size } in all
report-count-people = hakobu knows the number of files, not of people: count them from the files' contents
report-4-cause = 4. Cause
report-5-harm = 5. Whether there is (a risk of) secondary harm, and what
report-6-people-informed = 6. What was done for the people concerned
report-7-published = 7. Whether it was made public
report-8-prevention = 8. Measures against recurrence
report-9-other = 9. Other facts for reference
report-protection-heading = Strong encryption and other measures to protect the people's rights and interests:
report-encrypted = encrypted: yes. The medium held only the encrypted archive ({ $size } in { $n } file(s), SHA-256 { $sha256 }) and its checksum file.
report-keys-heading = Keys:
report-opens-passphrase = it opens with a passphrase (who knows it is outside hakobu's record)
report-opens-keys = it opens only with the keys of these recipients:
report-key-holder = { $who } (public key's SHA-256: { $fingerprint })
report-no-secret-key-packed = no secret key was packed (pack scans every file up to 16 KB and stops at a secret key)
report-key-on-medium = WARNING: when it was packed, a key file (or something like one) lay on the same medium
report-no-key-on-medium = when it was packed, no key file was found on the same medium
report-receipts-heading = Receipts:
report-no-receipts = no receipt from a receiving office is recorded
report-ledger-verified = the export ledger verifies (hash chain intact): this record was not altered
report-ledger-not-verified = WARNING: the export ledger does not verify; this record may have been altered (hakobu ledger verify)
report-unknowable-heading = What hakobu cannot know:
notice-receipt-not-recorded = the files were unpacked and verified, but the receipt could not be written to { $path }: { $detail }
report-algorithm = { $role }: { $name } ({ $standard })
report-receipt = { $time } { $result } ({ $who })
fs-other = another file system
fs-unknown = file system unknown
help-heading-arguments = Arguments
help-heading-options = Options
help-heading-commands = Commands
# the placeholders of the usage line and the table in Japanese (#26); English keeps clap's
help-usage-options = OPTIONS
help-usage-command = COMMAND
help-value-archive = ARCHIVE
help-value-date = DATE
help-value-dir = DIR
help-value-file = FILE
help-value-id = ID
help-value-key = KEY
help-value-label = LABEL
help-value-name = NAME
help-value-recipient = RECIPIENT
help-value-size = SIZE
help-value-source = SOURCE
help-value-text = TEXT
help-value-user = USER
help-value-path = PATH
help-template = {"{"}before-help{"}"}{"{"}about-with-newline{"}"}
    {"{"}usage-heading{"}"} {"{"}usage{"}"}

    {"{"}all-args{"}"}{"{"}after-help{"}"}
help-no-default-key = none known on this system: give -o FILE
help-any-help = Print help
help-any-version = Print version
help-any-quiet = Print nothing but errors (and the requested output)
help-any-json = Print the result as one JSON object
help-any-help-about = Print this message or the help of the given subcommand(s)
help-any-config = The address book and IT policy to use (default: $HAKOBU_CONFIG, else the config folder's hakobu/config.toml; see docs/KEYS.md)
help-any-identity = Key file to open the archive with; repeatable. Without -i, hakobu uses your own key from `hakobu keygen` ({ $key }) by itself, and asks for the passphrase if the archive has one
help-any-archive = The archive (.age file)
help-any-id = The archive: its id (or 4+ first hex digits), its name (NAME.age, .age optional), a volume's name, the stick's label, or the record's number (No.12)
help-hakobu-about = Encrypted, checksummed transport archives for carrying personal data on USB sticks
help-demo-about = See the whole job on made-up data: make a member list, a demo key and a stand-in stick in a throw-away folder, then pack, verify, unpack and compare
help-demo-keep = Keep the demo folder (the archive, the key, the unpacked copy) to look at
help-keygen-about = Create a key for receiving archives; prints the public key to hand to IT
help-keygen-output = Where to write the secret key file [default: { $key }; $HAKOBU_IDENTITY overrides it]
help-keygen-no_passphrase = Store the key unprotected (service accounts); by default it is encrypted with a passphrase you choose
help-pack-about = Pack files and folders into an encrypted archive with a neutral name
help-pack-sources = Files and folders to pack
help-pack-output = The folder to write the archive into, e.g. the USB stick
help-pack-to = Encrypt to everyone listed under NAME in the address book (e.g. 本社). Repeatable
help-pack-recipient = Encrypt to this public key (age1..., ssh-ed25519 ..., ssh-rsa ...). Repeatable
help-pack-recipients_file = Encrypt to every public key in this file. Repeatable
help-pack-passphrase = Protect with a passphrase instead (asked twice; empty = generate a strong one)
help-pack-name = Name the archive LABEL.age instead of a random name (the label is visible on the stick)
help-pack-armor = Write ASCII-armored output (larger; binary is the default)
help-pack-no_verify = Skip reading the archive back from the medium after writing
help-pack-split = Write volumes NAME.age.001, .002, ... of at most SIZE each (e.g. 4G, 700M, or bytes; K/M/G/T are powers of 1024). On FAT32 hakobu splits by itself
help-pack-purpose = Why the data leaves the office, for the export ledger (e.g. 本社へ月次報告)
help-pack-category = A data category for the export ledger (e.g. 健診結果); repeatable
help-recipients-about = The address book: names (offices, people) and their public keys
help-recipients-name = A name in the address book (e.g. 本社)
help-recipients-list-about = List every name, its keys, and the IT policy
help-recipients-show-about = Show the keys of one name
help-recipients-add-about = Add public keys under a name (created if new)
help-recipients-add-keys = Public keys: age1..., "ssh-ed25519 ...", a plugin's age1....
help-recipients-remove-about = Remove a name and its keys, or only the given keys of it (rotation)
help-recipients-remove-keys = Only these keys (the name stays while it has others)
help-ledger-about = The export ledger (持出し記録): what was packed, when, by whom, for whom
help-ledger-config = The address book and IT policy to use (its [ledger] path names the ledger)
help-ledger-ledger = The ledger file to read (default: policy's [ledger] path, else the per-user one)
help-ledger-list-about = List the records (newest last)
help-ledger-list-since = Only records from this day on (YYYY-MM-DD, local time: the date shown)
help-ledger-list-until = Only records up to this day (YYYY-MM-DD, local time: the date shown)
help-ledger-list-office = Only archives addressed to this office (address-book name)
help-ledger-list-sender = Only archives packed by this OS user
help-ledger-list-not_received = Only archives with no verified receipt yet
help-ledger-show-about = Show one archive's record(s)
help-ledger-verify-about = Check the hash chain; names the record that is missing or altered
help-ledger-export-about = Write the ledger as a table (CSV with Japanese headers, opens in Excel)
help-ledger-export-csv = CSV (UTF-8 with BOM); the only format for now
help-ledger-export-output = Write to this file instead of the screen
help-ledger-report-about = The lost-stick report for one archive: what hakobu knows, and what it cannot
help-ledger-import-about = Add a receipt file (NAME.age.receipt, from the receiving office) to the ledger
help-ledger-import-file = The receipt file
help-list-about = Show what an archive holds (decrypts and checks it completely, writes nothing)
help-unpack-about = Unpack an archive into a folder; nothing is released until every byte is verified
help-unpack-output = The folder to unpack into (created if missing)
help-unpack-force = Replace existing files of the same name
help-unpack-allow_removable_destination = Unpack onto a USB stick, card or other FAT/exFAT/removable medium all the same (refused otherwise: the files would be readable by whoever holds it)
help-unpack-receipt = Write a receipt file NAME.age.receipt beside the archive (id, time, result, checksum; no contents) for the sender's `hakobu ledger import`
help-verify-about = Check an archive: without a key its checksum file and header; with -i every byte and file
help-verify-paths = Archives (.age, or the first volume .age.001) and folders: a folder (a stick's root) is scanned, every archive on it verified and everything readable on it named
help-verify-identity = Key file: decrypt and check every file instead of the checksum file (nothing is written)
error-bad-day = expected a day as YYYY-MM-DD, e.g. 2026-12-01
usage-unknown-argument = unexpected argument '{ $arg }'
usage-unknown-command = unrecognized subcommand '{ $command }'
usage-missing = required arguments were not provided: { $args }
usage-bad-value = invalid value '{ $value }' for '{ $arg }': { $reason }
usage-conflict = '{ $arg }' cannot be used with '{ $other }'
usage-value-count = wrong number of values for '{ $arg }'
usage-no-equals = '{ $arg }' needs its value after '='
usage-did-you-mean = ; did you mean '{ $suggestion }'?
usage-hint = Usage: { $usage } (more: --help)
report-medium-label = , label "{ $label }"
help-ledger-report-identity = IT's audit key file: open the record's audit copy and list the files. Repeatable
report-file-list = file names ({ $n }, from the audit copy opened with the audit key):
## ledger: the office's day (#25)
error-ledger-missing = the export ledger { $path } does not exist (deleted or moved, or the shared folder is offline); nothing was checked
error-ledger-unreadable = cannot read the export ledger { $path }: { $reason }; nothing was checked
hint-ledger-missing = Check the shared folder (or [ledger] path in the config), or name the ledger with --ledger FILE.
error-ledger-record-ambiguous = "{ $query }" names { $count ->
    [one] 1 record
   *[other] { $n } records
} in the export ledger { $path }; choose one by its number (No.) or id:
hint-ledger-record-ambiguous = For example: hakobu ledger report No.{ $seq } (or the id: { $id })
hint-ledger-record-not-found = Give the archive's id, its name (NAME.age), a volume's name, the stick's label or the record's number (No.12); `hakobu ledger list` shows them.
refusal = { $words } ({ $kind })
refusal-wrong-key = not for the receiving office's key
refusal-truncated = copied only in part
refusal-damaged = damaged or changed on the way
refusal-not-an-archive = not a hakobu archive
refusal-unsafe-entry = holds a file with an unsafe name
refusal-incomplete = volumes or the checksum file missing
refusal-signature = the sender signature was refused
refusal-other = refused
# ja2 (#26 item 2): why a receipt file was refused, and where a receipt came from
receipt-problem = { $words } ({ $code })
receipt-problem-already-imported = this receipt is already in the ledger
receipt-problem-bad-field = a field in it is not valid
receipt-problem-future-time = its time is later than this PC's clock
receipt-problem-hash-mismatch = its checksum does not match the archive in the ledger
receipt-problem-too-large = too large for a receipt file
receipt-problem-unknown-id = it is for an archive not in the ledger
receipt-problem-unsigned = it has no signature, which policy requires
receipt-problem-not-a-receipt = not a hakobu receipt file
receipt-problem-bad-signature = its signature is not valid
receipt-problem-unknown-signer = it is signed with a key not listed as a sender
receipt-problem-other = it cannot be imported
receipt-source-local = unpacked on this PC
receipt-source-imported = imported from a receipt file
ledger-not-yet = -
ledger-col-no = No.
ledger-col-time = packed
ledger-col-label = stick
ledger-col-archive = archive
ledger-col-sender = sender
ledger-col-to = to
ledger-col-files = files
ledger-col-size = size
ledger-col-arrival = arrival
ledger-field-name = archive name
ledger-field-volumes = volumes
pack-recorded = Recorded in the export ledger as No. { $seq } (archive { $name }).
report-archive-name = archive name: { $name }
report-volume-names = volumes: { $names }
report-harm-encrypted = what the record shows: the data left encrypted (see 9)
report-harm-keys = it opens only with the recipients' keys listed under 9
report-harm-passphrase = it opens with a passphrase: anyone who learns the passphrase can open it
report-harm-key-on-medium = WARNING: when it was packed, a key file (or something like one) lay on the same medium: whoever finds it may be able to open the archive
report-harm-no-key-on-medium = when it was packed, no key file was found on the same medium
report-harm-escrow = IT's escrow or audit key can open it too (see 9)
report-harm-unknown-keys = hakobu cannot know whether a key file leaked by another way, or whether copies exist elsewhere
report-harm-unknown-passphrase = hakobu cannot know whether the passphrase was handed over apart from the stick, or whether copies exist elsewhere
scan-finding-receipt = receipt    { $path } (hakobu's receipt file: no contents; take it in with `hakobu ledger import`)
ledger-receipt-file-removed = removed the receipt file { $path }
ledger-receipt-file-kept = the receipt file { $path } stays where it is (remove it with --remove)
ledger-ask-remove-receipt = Remove the receipt file { $path } from the stick? It is in the ledger now. { $keys }
help-ledger-list-medium = Only archives written to the stick with this volume label
help-ledger-import-remove = Remove the receipt file (from the stick) once it is in the ledger, without asking
help-ledger-import-keep = Leave the receipt file where it is, without asking
# ledger and leftovers (issue #32 items 5-6): torn tails, bad lines, kept heads, receipts, records not written
ledger-problem-missing-newline = record { $seq } (line { $line }, the last) has lost its line end; it is kept, and the next record restores the line end
ledger-problem-torn-kept = { $path } holds { $bytes } bytes of a record cut off by a crash, set aside when the ledger was repaired
ledger-problem-head-not-found = no record has the kept hash { $head }: records were cut off the end since it was kept, or it belongs to another ledger
ledger-repair = { $code ->
    [bad-line] What IT does: keep a copy of the ledger file, open it in a text editor and look at the line named (an edit, or another program's output). Leave it in place: the records after it chain to it, and packs go on recording. Note it in the audit log; from then on keep the hash `hakobu ledger verify` prints, and check with --head.
    [torn-tail] What IT does: nothing now; the next pack or receipt sets the cut-off line aside in the .torn file beside the ledger.
    [missing-newline] What IT does: nothing now; the next pack or receipt restores the line end. A line end does not go missing by itself: ask who edited the file.
    [torn-kept] What IT does: open the .torn file, note what it holds (a record a crash cut off: its archive was never saved), then move it out of the ledger's folder.
    [head-not-found] What IT does: compare with the copy of the ledger kept when the hash was noted; records cut off the end must be restored from it.
   *[other] What IT does: compare the ledger with a copy kept elsewhere (a backup, the monthly report) and restore the records named from it.
}
ledger-kept-head-found = the kept hash is record { $seq } (line { $line }); { $after } record(s) were added after it
error-ledger-head-invalid = { $head } is not a ledger hash
hint-ledger-head-invalid = Give the 64 hexadecimal digits `hakobu ledger verify` printed as the last record's hash.
help-ledger-verify-head = A last record's hash kept elsewhere (as `ledger verify` printed it): a record must have it, so records cut off since show
notice-ledger-record-not-written = the archive was saved, but it is NOT recorded in the export ledger { $path }: { $detail }. Tell IT which archive left, and when
notice-ledger-record-not-written-nowhere = the archive was saved, but it is NOT recorded in any export ledger: this computer has no place for one. Tell IT which archive left, and when
ledger-receipt-signed = , signed by { $name } ({ $fingerprint })
ledger-receipt-unsigned = , UNSIGNED: anyone could have written this receipt
## windows (#13)
notice-key-file-not-private = the key file { $path } can be read by other users of this computer; make it readable by you alone (Linux: chmod 600; Windows: remove the other users in Properties → Security)
## windows seams (#25): names Windows refuses, wildcards
io-invalid-name = the name is not valid on Windows
hint-invalid-name = Check the name: Windows allows none of \ / : * ? " < > | in a file or folder name.
error-wildcard = { $path }: hakobu does not expand the wildcards * and ?
hint-wildcard = Name the files one by one, or give the folder that holds them (the whole stick: E:\).
## guided mode (#15)
guided-title = hakobu: what would you like to do? (arrow keys and Enter; Ctrl+C cancels)
guided-menu-send = Send: encrypt files onto a USB stick
guided-menu-receive = Receive: unpack an archive
guided-menu-check = Check: verify an archive or a USB stick
guided-ask-sources = Files or folders to send (drag them into this window, then Enter)
guided-ask-archive = The archive to unpack (.age; drag it into this window, then Enter)
guided-ask-check = The archive (.age) or the USB stick's folder to verify
guided-pack-summary = To send: { $files } in { $folders } folders, { $size } in all.
guided-ask-office = Who is it for? (type to filter)
guided-office-default = { $name } (default)
guided-office-passphrase = Protect with a passphrase instead (recipient not in the address book)
guided-no-office = The address book holds no recipient and passphrases are not allowed. Ask IT to set up hakobu.
guided-ask-drive = Which USB stick?
guided-drive = USB stick { $root } ({ $fs }, { $free } free)
guided-drive-rescan = Look again
guided-drive-folder = Choose a folder instead
guided-no-drive = No USB stick found. Insert one, then choose "Look again".
guided-ask-folder = The folder to save the archive in
guided-cancel = Cancel
guided-confirm = Only { $who } can open it. It will be saved to { $place }.
guided-confirm-passphrase = Only someone who knows the passphrase can open it. It will be saved to { $place }.
guided-ask-go = Save it?
guided-pack-done = Saved and read back from the stick: it holds exactly what was written. You can remove the USB stick now.
guided-pack-done-unchecked = Saved. You can remove the USB stick now.
guided-tell-receiver = Tell the receiving office: the archive is { $name }.
guided-tell-passphrase = Tell them the passphrase by phone, never with the stick.
guided-ask-dest = The folder to unpack into (created new; not on the stick)
guided-unpack-done = { $files } unpacked into { $dest }; every byte was verified.
guided-ask-open = Open the folder?
guided-ask-verify-mode = How should it be verified?
guided-verify-keyless = Without a key (checksum file and header)
guided-verify-full = With my key: every byte and file (nothing is written)
guided-press-enter = Press Enter to close this window.
guided-cancelled = Cancelled. Nothing was saved.
guided-no-terminal = hakobu without a command needs a terminal to ask its questions. Run `hakobu --help` for the commands.
guided-generated-passphrase = The passphrase hakobu made for this archive (write it down; it is shown only now):
    { $passphrase }
sendto-receive = hakobu で受け取る
sendto-send = hakobu で送る
sendto-office = hakobu で{ $office }へ送る
sendto-created = Shortcut made: { $path }
sendto-removed = Shortcut removed: { $path }
sendto-windows-only = `hakobu setup sendto` is for Windows only: other systems have no 送る (Send to) menu. Nothing was changed.
guided-yes = yes
guided-no = no
guided-drive-no-fs = USB stick { $root } ({ $free } free)
guided-list-separator = {", "}
# guided day (#25): what policy requires is asked, a refused choice is asked again, no flags
guided-ask-category = Choose the kind of data
guided-ask-category-text = Type the kind of data
guided-ask-purpose = Type why the data is carried
guided-confirm-with-policy = { $who } can open it, and so can the IT escrow key that IT's policy adds. It will be saved to { $place }.
guided-confirm-policy-key = escrow key: { $key } (added by IT policy)
guided-confirm-audit = The ledger's list of the file names can be read with IT's audit key ({ $names }).
guided-drive-too-small = × { $drive }: not available, too little free space ({ $needed } needed)
guided-no-drive-usable = Insert a USB stick that can be used, then choose "Look again". The sticks inserted cannot take the archive (see why above).
guided-drive-holds-source = × { $drive }: not available, the files to send are on this stick. Copy them to this PC first, then send them from there
guided-error-generic = hakobu could not go on.
guided-hint-ask-it = Show this window (the code line above all) to IT.
guided-hint-not-enough-space = Insert a USB stick with more free space and send again.
guided-hint-dest-again = Choose a folder on this PC (Documents, for example) again.
guided-hint-other-key = If you have the key file that opens this archive, give it at the next question; if not, ask the sender whom it was made for.
guided-hint-key-again = Give the key file again.
guided-needs-key-file = This archive opens with a key file, and there is none in this PC's usual place.
guided-needs-passphrase = This archive is protected with a passphrase.
guided-ask-key = The key file (drag it into this window, then Enter)
guided-archive-of = Archive { $n } of { $total }: { $name }
guided-unpack-all-done = { $failed ->
    [0] All { $done } archives unpacked.
   *[other] Unpacked: { $done }. Not unpacked: { $failed } (the reasons are above; nothing of those was written).
}
guided-unpack-cancelled-rest = Cancelled. What was unpacked ({ $done }) stays as it is; the other archives were not unpacked.
guided-receipt-left = A receipt, { $name }, was left beside the archive: when the stick comes back, the sending office adds it to its ledger.
guided-pack-done-folder = Saved and read back: the folder holds exactly what was written.
guided-pack-done-folder-unchecked = Saved.
guided-ask-signing-key = Your signing key file (drag it into this window, then Enter)
guided-hint-signing-key = Give your signing key file (made with hakobu) at the next question. If you have none, ask IT.
help-hakobu-paths = Without a command: files and folders to send, or an archive (.age) to unpack, asked step by step (what a drop onto hakobu.exe passes). With nothing at all, hakobu asks what to do (the guided mode)
help-hakobu-office = Without a command: send the given files to this address-book name (what the 送る menu's "hakobu で千葉支部へ送る" passes); still confirmed on screen
help-hakobu-category = Without a command: the kind of data sent, for the export ledger (what a shortcut IT made may pass); asked on screen when policy requires one and none is given
help-setup-about = Set hakobu up: Explorer's 送る menu for this Windows user (no admin rights needed), or this PC's policy (IT, as administrator)
help-setup-sendto-about = Shortcuts in Explorer's 送る (Send to) menu: "hakobu で受け取る", "hakobu で送る", and with --offices one "hakobu で<name>へ送る" per address-book name
help-setup-sendto-offices = One shortcut per name in the address book
help-setup-sendto-remove = Remove hakobu's shortcuts instead
## signatures (#17)
sign-not-checked = not checked
sign-signed-by = made by { $name } (key { $fingerprint }); the signature matches
sign-signed-by-key = signed by key { $fingerprint }
sign-problem-missing = the archive has no signature file (.sig)
sign-problem-too-large = the signature file is far larger than a signature; it was not read
sign-problem-malformed = the signature file is not an SSH signature (damaged or not base64)
sign-problem-wrong-namespace = the signature was made for another purpose ("{ $namespace }"), not for hakobu
sign-problem-unknown-signer = signed by key { $fingerprint }, which is not in the senders list
sign-problem-mismatch = the signature (key { $fingerprint }) does not match this archive: it was changed, or the signature belongs to another archive
sign-problem-unreadable = the signature could not be checked: { $detail }
notice-signature-not-vouched = it is not known who made this archive: { $problem }
# age's English warning in hakobu's words (#26)
notice-key-file-no-match = the key file { $path } does not open this archive (its passphrase was right)
notice-archive-not-vouched = { $archive }: it is not known who made this archive ({ $problem }); check with the sender
error-signature-refused = refused { $archive }: { $problem }
error-bad-signing-key = { $path } is not an Ed25519 signing key (OpenSSH format)
hint-signature-required = IT's rules require a signature by a known sender. Ask the sender to pack it again with their signing key, or ask IT to add the sender.
hint-signature-refused = Do not open this archive. Ask the sender to send it again, and tell IT.
# Who signed, bound to the content and to IT's list of accepted senders (issue #32).
sign-problem-stripped = the archive was signed when it was made (key { $packer }), and its signature file has been taken away
sign-problem-not-the-packer = the signature is by key { $fingerprint }, not by the key the archive was signed with when it was made ({ $packer }): someone signed it again
sign-problem-not-accepted-signer = it is signed by { $signer }, but this PC accepts archives only from { $accepted }
sign-problem-not-accepted-unsigned = it is not signed, and this PC accepts only archives signed by { $accepted }
sign-list-separator = {", "}
notice-signed-after-packing = signed by { $name } (key { $fingerprint }) after the archive was made: the signature vouches for these bytes, not for who made the archive
hint-bad-signing-key = Give the file made by `hakobu keygen --sign`.
verify-signature = signature
keygen-sign-done = Signing key saved to { $path }. Give IT this public key for the senders list:
pack-signed = Signed: { $path } (key { $fingerprint })
error-signing-key-required = IT's rules require every archive to be signed, and no signing key was given
hint-signing-key-required = Add --sign with your signing key (made once with `hakobu keygen --sign`), or ask IT to set [signing] key.
help-keygen-sign = Make a sender's signing key (Ed25519, OpenSSH format) instead; prints its public half (ssh-ed25519 ...) for the receivers' senders list
help-pack-sign = Sign the archive with this signing key (from `keygen --sign`); default: the config's [signing] key. Writes NAME.age.sig beside the archive
guided-keys-default-yes = [Y/n]
guided-keys-default-no = [y/N]
guided-keys = [y/n]
config-problem-sender-no-keys = sender "{ $name }" has no signing key
config-problem-bad-sender-key = sender "{ $name }", key { $index } is not an SSH public key (ssh-ed25519 ...)
config-problem-sender-secret-key = sender "{ $name }", key { $index } is a SECRET key: it was not used; the sender must make a new signing key
## the machine policy (issue #30)
help-setup-policy-about = The machine-wide policy: which file is in effect and why; with --install FILE (IT, as administrator; the installer runs it) FILE becomes this PC's policy, in a folder only administrators may change
help-setup-policy-install = Check FILE and make it this PC's policy (replacing the one there)
help-setup-policy-remove = Remove this PC's policy file (the installer runs it when hakobu is removed)
help-setup-policy-json = Print the result as one JSON object
policy-installed = This PC's policy is now { $path } (only administrators may change it).
policy-replaced = This PC's policy { $path } was replaced (only administrators may change it).
policy-removed = This PC's policy { $path } was removed.
policy-none-to-remove = This PC has no policy file; nothing was changed.
policy-machine-in-effect = In effect: this PC's policy { $path }. It wins over each user's settings.
policy-machine-none = No policy for this PC ({ $path } does not exist): each user's settings are used.
policy-managed = The address book is IT's (managed = true): users' own names are not used.
policy-user-tables-ignored = Your settings' tables that the PC's policy overrides: { $tables }
policy-user-names-shadowed = Names in your address book that the PC's policy defines (its keys are used): { $names }
policy-changeable-by-users = Warning: users other than administrators can change the policy file or its folder. Install it again with `hakobu setup policy --install FILE` as administrator.
policy-user-file = Your settings: { $path }
policy-user-none = Your settings: none
policy-signature-required = Signatures: required on every archive received.
policy-signature-optional = Signatures: checked when present, not required.
policy-accept-from = Archives are taken only from: { $names }
help-setup-policy-installer_upgrade = With --remove, from the installer: its UpgradeCode; the policy stays while another hakobu installation uses it
help-setup-policy-installer_product = With --remove, from the installer: its ProductCode
policy-kept-for-another-install = This PC's policy { $path } was kept: another hakobu installation (an upgrade) uses it.
