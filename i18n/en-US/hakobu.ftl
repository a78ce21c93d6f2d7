# hakobu's messages in English. Every message has a twin in i18n/ja/hakobu.ftl
# (tests check both files hold the same ids, and that src/ uses them all).
# Arguments are already escaped and formatted by src/cli/render.rs.

## Line prefixes (src/cli/term.rs)

prefix-error = error: { $text }
prefix-hint = hint: { $text }
prefix-code = code: { $code }
prefix-warning = warning: { $text }

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

cancelled-pack = cancelled: nothing was saved on the stick
cancelled-unpack = cancelled: nothing was released (no file was unpacked)
cancelled = cancelled
interrupted = interrupted

## Errors: what happened (title) and what to do (hint)

error-no-recipients = no recipient given
hint-no-recipients = Name the receiver with --to NAME (see `hakobu recipients list`), give a public key with -r age1..., a recipients file with -R, or -p for a passphrase.
error-nothing-to-pack = nothing to pack: name at least one file or folder
error-unknown-name = "{ $name }" is not in the address book
error-unknown-name-suggest = "{ $name }" is not in the address book; did you mean { $suggestions }?
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
error-passphrases-differ = the passphrase and its confirmation differed ({ $tries }); nothing was written
passphrase-tries = { $n ->
    [one] 1 time
   *[other] { $n } times
}
hint-passphrases-differ = Run the command again and type the same passphrase twice.
error-not-an-archive = { $path } is not a hakobu archive (not an age-encrypted file)
hint-not-an-archive = Make sure you opened the .age file that hakobu wrote, not another file.
error-corrupted = { $path } is damaged or truncated: the encrypted data does not authenticate
hint-corrupted = Nothing was released. Ask the sender for a fresh copy; the medium may be faulty.
error-truncated-empty = { $path } is incomplete: the file is empty (the copy was cut short)
error-truncated = { $path } is incomplete: it ends after { $size } ({ $bytes } bytes), before the end of the archive (the copy was cut short)
hint-truncated = Nothing was released. Copy the archive again from the sender's stick (wait until copying has finished before removing the stick), or ask the sender for a new copy.
hint-tampered = Nothing was released. Do not use this archive; ask the sender for a new one and tell IT.
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
error-read-back-mismatch = READ-BACK FAILED: the archive read back from { $dir } differs from what was written: the medium is faulty or fake. Nothing was saved under { $archive }
hint-read-back-mismatch = Do not use this stick for archives: use another one. (A capacity test such as f3 can confirm a fake stick.)
error-destination-removable = refused to unpack into { $dest }: it is on a { $medium }, and this would put readable personal data on a medium that is carried around; unpack to this PC
error-destination-on-archive-medium = refused to unpack into { $dest }: it is on the same { $medium } as the archive { $archive }, and this would put readable personal data on the stick; unpack to this PC
hint-destination-removable = Give a folder on this computer with -o (e.g. in Documents). If the files must really be written there, add --allow-removable-destination.
hint-source-changed = Close the program that is writing the file and pack again.
error-source-changed = { $path } changed while it was being packed
hint-no-space = Free some space or use a larger medium, then try again.
hint-path-too-long = Choose a destination folder with a shorter path (closer to the top of the disk).
hint-file-too-large = Use an exFAT stick, or pack the files into several smaller archives.

## pack

pack-audience-passphrase = This archive will open with the passphrase only.
pack-audience = This archive will open only with the key of:
pack-audience-policy = {"  "}[added by IT policy]
pack-audience-default = {"  "}[IT's default destination]
pack-split = The archive is split into { $volumes } volumes; keep them together with { $sidecar } (receivers give the first volume).
pack-saved-read-back = The archive is saved and was read back from the medium unchanged
pack-saved-no-read-back = The archive is saved (not read back: --no-verify)
pack-done = Packed { $files } ({ $bytes } bytes). { $saved }. Everything is flushed to the medium: you can remove the stick now (no need to "eject" it for hakobu's sake).

## unpack

unpack-done = Unpacked { $files } ({ $bytes } bytes) into { $dest }; every file matched its checksum.

## Carrying media (inside "refused to unpack into …")

medium-removable = removable medium (USB stick or card)
medium-fat = FAT-formatted medium (a USB stick or card)
medium-exfat = exFAT-formatted medium (a USB stick or card)

## Passphrase prompts (src/cli/prompt.rs)

prompt-passphrase-label = Passphrase:
prompt-new-key-passphrase = Passphrase to protect the new key file (you will type it to open archives)
prompt-new-archive-passphrase = Passphrase for the archive (leave empty to generate a strong one)
prompt-again = Type the same passphrase again
prompt-empty-key-passphrase = An empty answer protects nothing: type one (try { $next } of { $tries }), or press Ctrl-C to stop.
prompt-weak = weak choice: about { $bits } bits of strength, hakobu recommends at least { $recommended } (e.g. five random words, or 12 random letters, digits and signs). Type it again to use it anyway, or type anything else to choose another.
prompt-differ = The two entries differ. Choose one and type it twice (try { $next } of { $tries }).
prompt-archive-retry = That did not open the archive; try again (try { $attempt } of { $tries }).
prompt-archive-passphrase = Passphrase for this archive
prompt-key-file-retry = That did not unlock the key file; try again (try { $attempt } of { $tries }).
prompt-key-file-passphrase = Enter the passphrase of the key file { $path }

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
    {"    "}hakobu recipients add 本社 { $recipient }

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
verify-files-value = { $files } ({ $bytes } bytes)
verify-result = result
verify-pass = PASS
verify-fail = FAIL
verify-problem = problem: { $problem }
    code: { $code }

## verify FOLDER: the stick check

scan-clean = CLEAN: nothing on this stick can be read without a key ({ $archives } archives, all intact).
scan-unsafe = NOT SAFE: { $readable } files on this stick can be read by anyone who finds it. Move them off the stick (to this PC) or delete them.
scan-unsafe-keys = NOT SAFE: a secret key is on this stick ({ $keys } found; { $readable } readable files). Whoever finds the stick can open the archives made for that key: take the key off and tell IT.
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
source-no-name = it has no name (the root folder?)
source-reserved = the names .hakobu and .hakobu-staging-* are reserved for hakobu's own files
source-name = its name cannot be unpacked safely everywhere ({ $problem })
error-unsafe-source = cannot pack { $path }: { $problem }
error-unsafe-sources = { $count } items cannot be packed safely:
error-unsafe-sources-more = {"  "}... and { $count } more
hint-unsafe-source = Remove or replace that item, then pack again.
hint-unsafe-sources = Rename, remove or replace those items, then pack again.
error-output-not-a-folder = { $path } is not a folder; -o takes the folder to write the archive into
error-archive-is-folder = { $path } is a folder, not an archive file
error-output-inside-source = the output folder { $output } is inside { $packed }, which is being packed; write the archive somewhere else
error-destination-busy = { $path } is in use by another hakobu; wait for it to finish
error-destination-is-symlink = the destination { $path } is a symbolic link; give the real folder instead
error-destination-not-a-folder = the destination { $path } is not a folder

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
error-signature-refused = refused { $archive }: { $problem }; nothing was decrypted
error-bad-signing-key = { $path } is not an Ed25519 signing key (OpenSSH format)
hint-signature-required = IT's rules require a signature by a known sender. Ask the sender to pack it again with their signing key, or ask IT to add the sender.
hint-signature-refused = Do not open this archive. Ask the sender to send it again, and tell IT.
hint-bad-signing-key = Give the file made by `hakobu keygen --sign`.
verify-signature = signature
keygen-sign-done = Signing key saved to { $path }. Give IT this public key for the senders list:
pack-signed = Signed: { $path } (key { $fingerprint })
error-signing-key-required = IT's rules require every archive to be signed, and no signing key was given; nothing was written
hint-signing-key-required = Add --sign with your signing key (made once with `hakobu keygen --sign`), or ask IT to set [signing] key.
