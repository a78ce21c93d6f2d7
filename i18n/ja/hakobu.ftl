# hakobu のメッセージ（日本語）。i18n/en-US/hakobu.ftl と同じ id をすべて持ちます。
# 言葉は docs/ja/用語集.md に従います。書き方は「することを先に、短く、です・ます」。
# 引数は src/cli/render.rs でエスケープと整形が済んでいます。

## 行の見出し

prefix-error = エラー: { $text }
prefix-hint = {"  "}→ { $text }
prefix-code = {"  "}code: { $code }
prefix-warning = 注意: { $text }

## 大きさと件数

size-b = { $n } バイト
size-kib = { $value } KB
size-mib = { $value } MB
size-gib = { $value } GB
size-tib = { $value } TB
count-files = { $n ->
   *[other] { $shown } 個のファイル
}

## 進み具合

phase-packing = 暗号化しています
phase-flushing = USBメモリに書き込んでいます…
phase-reading-back = 書き込み後の確認
phase-checksum = チェックサム
phase-checking = 検証しています
phase-scanning = USBメモリの中を調べています…

## 注意

notice-default-key-on-medium = 鍵ファイル { $key } が、アーカイブと同じUSBメモリ（{ $medium }）にあります。鍵をデータと一緒に運ばないでください。
notice-key-like-file-on-medium = { $path } は鍵ファイルのようです。アーカイブと同じUSBメモリにあるので、USBメモリから移してください。
notice-pack-leftover-removed = 中断した保存の残り { $path } を削除しました（暗号化された途中までのファイルです）。
notice-unpack-leftover-removed = 中断した展開の残り { $path } を削除します（検証前のデータが入っていました）。
notice-fat-split-capped = USBメモリは FAT32 で、1 ファイル { $limit } までしか保存できません。分割ファイルはそれぞれ { $limit } にします。
notice-free-space-unknown = { $dir } の空き容量がわからないため、書き込む前に確かめていません。いっぱいになったときは何も保存しません。
notice-fat-may-split = USBメモリは FAT32 で、1 ファイル { $limit } までしか保存できません。アーカイブがそれより大きいときは、分割ファイル（NAME.age.001、.002 …）に分けて保存します（一緒に運んでください）。

## OS からの理由

io-no-space = ディスクまたはUSBメモリがいっぱいです
io-file-too-large = このファイルシステムには大きすぎます（FAT32 は 1 ファイル 4 GB 未満）
io-device-error = 読み書きに失敗しました。USBメモリが抜かれたか、故障している可能性があります
io-permission-denied = アクセスが許可されていません
io-not-found = ファイルまたはフォルダーがありません
io-read-only = 書き込みが禁止されています
io-path-too-long = 場所（パス）が長すぎます
io-failed = { $path } を{ $action }: { $reason }
io-action-read = 読み込めません
io-action-read-back = 読み直せません
io-action-write = 書き込めません
io-action-create = 作成できません
io-action-open = 開けません
io-action-rename = その名前にできません
io-action-replace = 置き換えられません
io-action-remove = 削除できません
io-action-save = 保存できません
io-action-use = 使えません

## 中止

cancelled-pack = 中止しました。USBメモリには何も保存していません。
cancelled-unpack = 中止しました。ファイルは一つも展開していません。
cancelled = 中止しました。
interrupted = 中止しました。

## エラー: 何が起きたか と すること

error-no-recipients = 宛先が指定されていません。
hint-no-recipients = --to 宛先の名前 で宛先を指定してください（宛先の一覧: hakobu recipients list）。
error-nothing-to-pack = 暗号化するファイルが指定されていません。ファイルかフォルダーの名前を書いてください。
error-unknown-name = 宛先「{ $name }」は宛先帳にありません。
error-unknown-name-suggest = 宛先「{ $name }」は宛先帳にありません。もしかして: { $suggestions }
suggestion-separator = 、
hint-unknown-name = 宛先の一覧は hakobu recipients list で確かめられます（宛先帳: { $config }）。
error-no-matching-key-default = このパソコンの鍵ファイル { $key } では { $archive } を開けません。
hint-no-matching-key-default = 別の事務所宛てのアーカイブです。その鍵ファイルがあれば -i 鍵ファイル で指定してください。なければ、だれ宛てに作ったかを送った人に確かめてください。
error-no-matching-key-given = 指定した鍵（{ $keys }）では { $archive } を開けません。
error-no-matching-key = 指定した鍵では { $archive } を開けません。
hint-no-matching-key = このアーカイブの宛先の鍵（-i 鍵ファイル）か、正しいパスフレーズを使ってください。
error-needs-key-file = このアーカイブには鍵ファイルが必要です。-i 鍵ファイル で指定してください。
error-needs-passphrase = このアーカイブはパスフレーズで保護されています。-i を付けずに実行してください。
error-wrong-passphrase = パスフレーズが違います。{ $archive } を開けません。確かめてから、もう一度入力してください。
error-key-file-passphrase-wrong = 鍵ファイルのパスフレーズが違うか、鍵ファイルが壊れています。
error-not-a-key-file = { $path } は鍵ファイルではありません。
error-key-file-empty = 鍵ファイル { $path } は空です。鍵が入っていません。
hint-not-a-key-file = -i には hakobu keygen で作った鍵ファイルを指定してください（アーカイブや文書ではありません）。
error-key-file-missing = 鍵ファイル { $path } がありません。
hint-key-file-missing = -i の後のファイル名を確かめてください。鍵ファイルは hakobu keygen で作ります。-i を付けないときは、このパソコンの決まった場所の鍵ファイルを使います。
error-prompt-cancelled = 中止しました。
error-passphrases-differ = パスフレーズと確認の入力が一致しませんでした（{ $tries }）。何も保存していません。
passphrase-tries = { $n ->
   *[other] { $n } 回
}
hint-passphrases-differ = もう一度実行し、同じパスフレーズを2回入力してください。
error-not-an-archive = { $path } は hakobu のアーカイブではありません。
hint-not-an-archive = hakobu が保存した .age ファイルを指定しているか確かめてください。
error-corrupted = { $path } は壊れています（暗号化されたデータが正しくありません）。
hint-corrupted = 何も展開していません。送った人に、もう一度保存してもらってください。USBメモリが故障しているかもしれません。
error-truncated-empty = { $path } は空です。コピーが途中で止まったようです。
error-truncated = { $path } は途中までしかコピーされていません（{ $size } で終わっています）。
hint-truncated = 何も展開していません。送った人のUSBメモリからもう一度コピーしてください（コピーが終わってからUSBメモリを取り外します）。
hint-tampered = 何も展開していません。このアーカイブは使わず、送った人に作り直してもらい、情報システム担当に連絡してください（改ざんの可能性があります）。
error-sidecar-mismatch = { $path } がチェックサムファイルと合いません。USBメモリ上のファイルが壊れているか、書き換えられています。
error-sidecar-missing = チェックサムファイル { $path } がないか、壊れています。
hint-sidecar-missing = アーカイブと一緒にあった .age.sha256 ファイルを横に置くか、-i 鍵ファイル を付けて検証してください。
hint-volumes = すべての分割ファイル（NAME.age.001、.002 …）とチェックサムファイルを同じフォルダーにコピーし、最初の分割ファイルを指定してください。
error-output-exists = { $path } はすでにあります。上書きしていません。
hint-output-exists-unpack = 別の展開先を選んでください。上書きしてよいときは --force を付けます。
hint-output-exists-archive = --name で別の名前を付けるか、--name を付けずに保存してください（新しい名前を付けます）。
hint-output-exists-key = その鍵ファイルは、届いたアーカイブを開くのにまだ必要かもしれません。残しておいてください。別の鍵を作るときは -o で別のファイル名を指定してください。
error-secret-key-in-sources = { $path } は鍵ファイルのようです。鍵はデータと一緒に運べません。
hint-secret-key-in-sources = 鍵ファイルを外して、もう一度保存してください。鍵は別に渡します。
error-not-enough-space = { $dir } の空き容量が足りません（必要: 最大 { $needed }、空き: { $free }）。何も保存していません。
hint-not-enough-space = 大きいUSBメモリを使うか、空き容量を増やしてください。複数のUSBメモリで運ぶときは、このパソコンのフォルダーに --split 大きさ で保存し、分割ファイルをコピーしてください。
error-read-back-mismatch = 書き込み後の確認で、{ $dir } から読み直した内容が書き込んだ内容と違いました。USBメモリが故障しているか偽物です。{ $archive } には何も保存していません。
hint-read-back-mismatch = このUSBメモリは使わず、別のUSBメモリに保存してください。
error-destination-removable = { $dest } には展開しません。{ $medium }の上なので、暗号化されていない個人情報を持ち運ぶことになります。このパソコンのフォルダーに展開してください。
error-destination-on-archive-medium = { $dest } には展開しません。アーカイブ { $archive } と同じ{ $medium }の上なので、暗号化されていない個人情報がUSBメモリに残ります。このパソコンのフォルダーに展開してください。
hint-destination-removable = -o でこのパソコンのフォルダー（ドキュメントなど）を指定してください。どうしてもそこに展開するときは --allow-removable-destination を付けます。
hint-source-changed = ファイルを開いているソフトを閉じて、もう一度保存してください。
error-source-changed = { $path } が保存中に変わりました。何も保存していません。
hint-no-space = 空き容量を増やすか、大きいUSBメモリを使って、もう一度実行してください。
hint-path-too-long = C:\受信 のような、短い場所のフォルダーを指定してください。
hint-file-too-large = exFAT のUSBメモリを使うか、ファイルを分けて複数のアーカイブにしてください。

## pack（暗号化して保存する）

pack-audience-passphrase = このアーカイブはパスフレーズだけで開けます。
pack-audience = このアーカイブを開けるのは、次の宛先の鍵だけです:
pack-audience-policy = {"  "}［運用ルールで追加］
pack-audience-default = {"  "}［情報システム担当が決めた既定の宛先］
pack-split = アーカイブを { $volumes } 個の分割ファイルに分けました。チェックサムファイル { $sidecar } と一緒に運んでください（受け取る人は最初の分割ファイルを指定します）。
pack-saved-read-back = 保存し、書き込み後の確認も済みました
pack-saved-no-read-back = 保存しました（--no-verify のため書き込み後の確認はしていません）
pack-done = { $files }（{ $bytes } バイト）を暗号化しました。{ $saved }。USBメモリを取り外しても大丈夫です。

## unpack（展開する）

unpack-done = { $files }（{ $bytes } バイト）を { $dest } に展開しました。すべてのファイルのチェックサムが一致しました。

## 持ち運ぶ媒体（「… には展開しません」の中）

medium-removable = 取り外せる媒体（USBメモリやSDカード）
medium-fat = FAT 形式の媒体（USBメモリやSDカード）
medium-exfat = exFAT 形式の媒体（USBメモリやSDカード）

## パスフレーズの入力

prompt-passphrase-label = パスフレーズ:
prompt-new-key-passphrase = 新しい鍵ファイルを守るパスフレーズを入力してください（展開するたびに入力します）
prompt-new-archive-passphrase = アーカイブのパスフレーズを入力してください（空のままにすると強いパスフレーズを作ります）
prompt-again = 確認のため、同じパスフレーズをもう一度入力してください
prompt-empty-key-passphrase = 空のパスフレーズでは鍵を守れません。入力してください（{ $tries } 回中 { $next } 回目）。やめるときは Ctrl+C を押します。
prompt-weak = 弱いパスフレーズです（強さ 約 { $bits } ビット。{ $recommended } ビット以上を勧めます。例: ランダムな5つの単語、または英数字と記号を12文字）。このまま使うときは同じものをもう一度、選び直すときは別のものを入力してください。
prompt-differ = 2回の入力が一致しません。一つを選んで2回入力してください（{ $tries } 回中 { $next } 回目）。
prompt-archive-retry = アーカイブを開けませんでした。もう一度入力してください（{ $tries } 回中 { $attempt } 回目）。
prompt-archive-passphrase = このアーカイブのパスフレーズを入力してください
prompt-key-file-retry = 鍵ファイルを開けませんでした。もう一度入力してください（{ $tries } 回中 { $attempt } 回目）。
prompt-key-file-passphrase = 鍵ファイル { $path } のパスフレーズを入力してください

## keygen（鍵を作る）

keygen-saved-protected = 鍵を { $key } に保存しました（選んだパスフレーズで守られています）。
keygen-saved-unprotected = 鍵を { $key } に保存しました（パスフレーズで守られていません）。
keygen-keep-default = 鍵ファイルは人に渡さず、USBメモリに入れないでください。展開するときは hakobu が自動で使います。
keygen-keep-named = 鍵ファイルは人に渡さず、USBメモリに入れないでください。展開するときは次のように指定します: hakobu unpack アーカイブ -o フォルダー -i { $key }
keygen-hand-over = { $saved }
    { $finding }

    次の行（公開鍵）を情報システム担当に渡してください。公開鍵はメールやチャットで送って構いません:

    {"    "}{ $recipient }

    情報システム担当が、事務所の名前で宛先帳に登録します。例:
    {"    "}hakobu recipients add 本社 { $recipient }

## verify（検証する。左が項目、右が結果）

verify-archive = アーカイブ
verify-volumes = 分割ファイル
verify-checksum = チェックサム
verify-checksum-match = 一致
verify-checksum-mismatch = 不一致
verify-checksum-missing = チェックサムファイルがありません
verify-checksum-skipped = 省略（鍵ですべてのバイトを検証しました）
verify-header = ヘッダー
verify-header-damaged = 壊れています
verify-ok = 正常
verify-protection = 保護
verify-protection-passphrase = パスフレーズ
verify-protection-keys = 鍵
verify-contents = 中身
verify-contents-failed = 失敗
verify-contents-not-checked = 検証していません（鍵が必要です）
verify-files = ファイル
verify-files-value = { $files } 個（{ $bytes } バイト）
verify-result = 結果
verify-pass = 合格
verify-fail = 不合格
verify-problem = 問題: { $problem }
    {"  "}code: { $code }

## verify フォルダー: USBメモリ全体の検証

scan-clean = 安全です: このUSBメモリには暗号化されていないファイルはありません（アーカイブ { $archives } 個、すべて正常）。
scan-unsafe = 安全ではありません: 暗号化されていないファイルが { $readable } 件あります。拾った人が読めます。このパソコンに移すか、削除してください。
scan-unsafe-keys = 安全ではありません: このUSBメモリに鍵ファイルがあります（{ $keys } 件。暗号化されていないファイル { $readable } 件）。拾った人がその鍵宛てのアーカイブを開けます。鍵ファイルをUSBメモリから移し、情報システム担当に連絡してください。
scan-damaged = 壊れたアーカイブがあります: { $archives } 個のうち { $damaged } 個が検証に失敗しました。暗号化されていないファイルはありません。
scan-archive = アーカイブ { $path }: { $result }
scan-archive-ok = 正常
scan-archive-failed = 失敗
scan-more = {"  "}… ほか { $count } 件（--json ですべて表示します）
scan-finding-key = 鍵ファイル { $path }
scan-finding-readable = 暗号化されていないファイル { $path }（{ $size }、{ $kind }）{ $personal }
scan-looks-personal = {" "}— 名簿のようです（先頭の行からの推測です）
scan-finding-staging = 暗号化されていないフォルダー { $path }（中断した展開の残りです。展開したファイルが入っている可能性があります）
scan-finding-temp = 残りファイル { $path }（中断した保存の一時ファイルです。暗号化されています。次にここへ保存するときに削除します）
scan-finding-incomplete = 分割ファイルの不足 { $path }（最初の分割ファイル .001 がありません）
scan-finding-orphan-sidecar = チェックサムファイルだけ { $path }（アーカイブがありません）
scan-finding-no-sidecar = チェックサムファイルなし { $path }（鍵がないと検証できません）
scan-finding-system = システムのファイル { $path }（Windows や macOS が作ったものです）
scan-type-spreadsheet = 表計算
scan-type-csv = CSV
scan-type-pdf = PDF
scan-type-image = 画像
scan-type-document = 文書
scan-type-text = テキスト
scan-type-other = その他

## 安全に送れない名前とファイル

path-too-long = 場所（パス）が { $max } バイトより長くなっています
path-name-too-long = 名前が { $max } バイトより長くなっています
path-control-character = 名前に制御文字 { $code } が入っています
path-invisible-character = 名前に見えない文字か、文字の向きを変える文字 { $code } が入っています
path-windows-forbidden = 名前に Windows で使えない文字「{ $character }」が入っています
path-trailing-dot-or-space = 名前がピリオドか空白で終わっています（Windows では消えてしまいます）
path-windows-reserved = Windows で使えない名前です（CON、PRN、AUX、NUL、COM1～9、LPT1～9）
path-short-name-alias = Windows の短い名前（PROGRA~1 など）のようで、別のファイルと取り違える可能性があります
path-collides = 「{ $other }」と、大文字と小文字などの違いしかありません（exFAT、NTFS、APFS では同じ名前になります）
source-symlink = ショートカット（シンボリックリンク）です。hakobu はリンク先をたどりません（元のファイルをコピーして入れてください）
source-special = 普通のファイルではありません（デバイス、FIFO、ソケット）
source-no-name = 名前がありません（ドライブやルートのフォルダーではありませんか）
source-reserved = .hakobu と .hakobu-staging-* は hakobu が使う名前です
source-name = この名前ではどこでも安全に展開できるとは限りません（{ $problem }）
error-unsafe-source = { $path } は暗号化できません: { $problem }。何も保存していません。
error-unsafe-sources = 安全に暗号化できないものが { $count } 件あります。何も保存していません:
error-unsafe-sources-more = {"  "}… ほか { $count } 件
hint-unsafe-source = そのファイルを外すか置き換えて、もう一度保存してください。
hint-unsafe-sources = 表示されたものの名前を変えるか、外すか置き換えて、もう一度保存してください。
error-output-not-a-folder = { $path } はフォルダーではありません。-o には保存先のフォルダーを指定してください。
error-archive-is-folder = { $path } はフォルダーです。アーカイブのファイルを指定してください。
error-output-inside-source = 保存先 { $output } が、暗号化するフォルダー { $packed } の中にあります。別の保存先を指定してください。
error-destination-busy = { $path } は別の hakobu が使っています。終わるまで待ってください。
error-destination-is-symlink = 展開先 { $path } はリンクです。実際のフォルダーを指定してください。
error-destination-not-a-folder = 展開先 { $path } はフォルダーではありません。

## signatures (#17)
sign-not-checked = 確認していません
sign-signed-by = { $name }（鍵 { $fingerprint }）が作成しました。署名は一致しています
sign-signed-by-key = 鍵 { $fingerprint } で署名されています
sign-problem-missing = 署名ファイル（.sig）がありません
sign-problem-too-large = 署名ファイルが大きすぎるため、読みませんでした
sign-problem-malformed = 署名ファイルが壊れています（SSH 署名ではありません）
sign-problem-wrong-namespace = 別の用途（「{ $namespace }」）の署名です。hakobu の署名ではありません
sign-problem-unknown-signer = 鍵 { $fingerprint } の署名ですが、送る人の一覧にない鍵です
sign-problem-mismatch = 署名（鍵 { $fingerprint }）がこのアーカイブと一致しません。アーカイブが変えられたか、別のアーカイブの署名です
sign-problem-unreadable = 署名を確認できませんでした: { $detail }
notice-signature-not-vouched = だれが作ったアーカイブか分かりません: { $problem }
error-signature-refused = { $archive } を開きませんでした: { $problem }。何も復号していません
error-bad-signing-key = { $path } は署名鍵（OpenSSH 形式の Ed25519）ではありません
hint-signature-required = 運用ルールで、登録された送る人の署名が必要です。送った人に署名鍵で作り直してもらうか、情報システム担当に送る人の登録を頼んでください。
hint-signature-refused = このアーカイブは開かないでください。送った人に送り直してもらい、情報システム担当に知らせてください。
hint-bad-signing-key = `hakobu keygen --sign` で作ったファイルを指定してください。
verify-signature = 署名
keygen-sign-done = 署名鍵を { $path } に保存しました。次の公開鍵を情報システム担当に渡し、送る人の一覧に登録してもらってください:
pack-signed = 署名しました: { $path }（鍵 { $fingerprint }）
error-signing-key-required = 運用ルールで、すべてのアーカイブに署名が必要です。署名鍵が指定されていないため、何も保存していません
hint-signing-key-required = `--sign` で署名鍵を指定してください（署名鍵は `hakobu keygen --sign` で一度だけ作ります）。情報システム担当に設定を頼むこともできます。
