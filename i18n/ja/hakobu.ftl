# hakobu のメッセージ（日本語）。i18n/en-US/hakobu.ftl と同じ id をすべて持ちます。
# 言葉は docs/ja/用語集.md に従います。書き方は「することを先に、短く、です・ます」。
# 引数は src/cli/render.rs でエスケープと整形が済んでいます。

## 行の見出し

prefix-error = エラー: { $text }
prefix-hint = {"  "}→ { $text }
prefix-code = {"  "}code: { $code }
prefix-warning = 注意: { $text }
# データがどうなったか（#26）
prefix-data = {"  "}{ $text }

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
phase-signing = 確認して署名
phase-checking-signed = 署名と中身を検証
phase-checksum-signed = 署名とチェックサム

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
# OS の英語の言葉は詳細の行に、情報システム担当向けと書いて出します（#26）
io-other = 予期しないエラーです（詳細は下の行）
detail-os = 詳細（情報システム担当向け）: { $detail }
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

cancelled = 中止しました。
interrupted = 中止しました。
# データがどうなったか: エラーの次の行に一度だけ（#26。src/error.rs の DataOutcome）
data-nothing-saved = 何も保存していません。
data-nothing-released = ファイルは一つも展開していません。
data-no-key-file = 鍵ファイルは作っていません。
data-address-book-unchanged = 宛先帳は変わっていません。
data-ledger-unchanged = 持出し記録は変わっていません。
data-nothing-written = 何も書き込んでいません。
data-unpack-removed = 途中まで展開したものは削除しました。展開先には何も残っていません。
data-ledger-no-new-record = 持出し記録に新しい記録は加わっていません。
data-written-removed = 途中まで書いたものは削除しました。何も保存していません。
data-unpack-partial = 検証済みのファイルの一部が、展開先に移っているかもしれません。検証していないデータは残していません。
data-pack-partial = アーカイブは保存されているかもしれません。保存先を確かめてから、もう一度暗号化してください。
data-partial = 一部は済んでいるかもしれません。確かめてから、もう一度実行してください。
data-nothing-changed = 何も変更していません。

## エラー: 何が起きたか と すること

error-no-recipients = 宛先が指定されていません。
hint-no-recipients = --to 宛先の名前 で宛先を指定してください（宛先の一覧: hakobu recipients list）。
error-nothing-to-pack = 暗号化するファイルが指定されていません。ファイルかフォルダーの名前を書いてください。
error-unknown-name = 宛先「{ $name }」は宛先帳にありません。
error-unknown-name-suggest = 宛先「{ $name }」は宛先帳にありません。もしかして: { $suggestions }
# a name shown among suggestions (#26: no ASCII quotes in Japanese)
quoted-name = 「{ $name }」
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
error-passphrases-differ = パスフレーズと確認の入力が一致しませんでした（{ $tries }）。
passphrase-tries = { $n ->
   *[other] { $n } 回
}
hint-passphrases-differ = もう一度実行し、同じパスフレーズを2回入力してください。
error-not-an-archive = { $path } は hakobu のアーカイブではありません。
hint-not-an-archive = hakobu が保存した .age ファイルを指定しているか確かめてください。
error-corrupted = { $path } は壊れています（暗号化されたデータが正しくありません）。
hint-corrupted = 送った人に、もう一度保存してもらってください。USBメモリが故障しているかもしれません。
error-truncated-empty = { $path } は空です。コピーが途中で止まったようです。
error-truncated = { $path } は途中までしかコピーされていません（{ $size } で終わっています）。
hint-truncated = 送った人のUSBメモリからもう一度コピーしてください（コピーが終わってからUSBメモリを取り外します）。
hint-tampered = このアーカイブは使わず、送った人に作り直してもらい、情報システム担当に連絡してください（改ざんの可能性があります）。
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
error-not-enough-space = { $dir } の空き容量が足りません（必要: 最大 { $needed }、空き: { $free }）。
hint-not-enough-space = 大きいUSBメモリを使うか、空き容量を増やしてください。複数のUSBメモリで運ぶときは、このパソコンのフォルダーに --split 大きさ で保存し、分割ファイルをコピーしてください。
error-read-back-mismatch = 書き込み後の確認で、{ $dir } から読み直した内容が書き込んだ内容と違いました。USBメモリが故障しているか偽物です（{ $archive }）。
hint-read-back-mismatch = このUSBメモリは使わず、別のUSBメモリに保存してください。
error-destination-removable = { $dest } には展開しません。{ $medium }の上なので、暗号化されていない個人情報を持ち運ぶことになります。このパソコンのフォルダーに展開してください。
error-destination-on-archive-medium = { $dest } には展開しません。アーカイブ { $archive } と同じ{ $medium }の上なので、暗号化されていない個人情報がUSBメモリに残ります。このパソコンのフォルダーに展開してください。
hint-destination-removable = -o でこのパソコンのフォルダー（ドキュメントなど）を指定してください。どうしてもそこに展開するときは --allow-removable-destination を付けます。
hint-source-changed = ファイルを開いているソフトを閉じて、もう一度保存してください。
error-source-changed = { $path } が保存中に変わりました。
hint-no-space = 空き容量を増やすか、大きいUSBメモリを使って、もう一度実行してください。
hint-path-too-long = C:\受信 のような、短い場所のフォルダーを指定してください。
hint-file-too-large = exFAT のUSBメモリを使うか、ファイルを分けて複数のアーカイブにしてください。
# 悪意のある入力（#32）: age に渡す前の上限
error-header-too-large = { $path } は hakobu のアーカイブではないか、壊れています（ヘッダーが hakobu の書く大きさ（{ $size }、宛先 { $stanzas } 件）を超えています）。
io-not-a-file = 通常のファイルではありません（FIFO、デバイス、ソケット、フォルダー）。何も読み込んでいません
error-too-many-recipients = 宛先を減らしてください。宛先 { $count } 件のアーカイブは、ヘッダーが hakobu の読める大きさ（{ $size }、宛先 { $stanzas } 件）を超えます。
hint-too-many-recipients = 宛先をいくつかに分けて、別々のアーカイブにしてください。
header-too-large = ヘッダーが hakobu の書く大きさを超えています（hakobu のアーカイブではないか、壊れています）
hint-header-too-large = 何も展開していません。送った人に、もう一度保存してもらってください。USBメモリで届いたファイルなら、情報システム担当に知らせてください。
# パソコン全体の運用ルールと設定ファイルの確認（issue #25）
error-config-unknown-name = 情報システム担当に連絡してください。設定ファイル { $path } の { $setting } にある「{ $name }」が、宛先帳にも公開鍵にもありません。
error-config-unknown-name-suggest = 情報システム担当に連絡してください。設定ファイル { $path } の { $setting } にある「{ $name }」が、宛先帳にも公開鍵にもありません（もしかして: { $suggestions }）。
hint-config-unknown-name = 情報システム担当へ: その設定ファイルの [recipients] に「{ $name }」と公開鍵を加えるか、{ $setting } の名前を直してください（docs/KEYS.md）。
error-name-in-machine-policy = 変更は情報システム担当に頼んでください。「{ $name }」はパソコン全体の運用ルール（{ $path }）で決められています。

# 鍵とUSBメモリの検証（issue #32: scan）
error-key-file-lower-case = 鍵ファイル { $path } の鍵が小文字で書かれています（{ $line } 行目）。標準の age では使えないため、hakobu でも使いません。何も開いていません。
hint-key-file-lower-case = hakobu keygen か age-keygen で作ったままの鍵ファイル（鍵は大文字の AGE-SECRET-KEY-1…）を指定してください。書き直したり変換したりした場合は、情報システム担当に元のファイルを確認してください。
error-not-made-by-hakobu = { $path } は hakobu で作ったアーカイブではありません。大きさか、age の見出しに続く中身が、hakobu のアーカイブのものではありません（チェックサムファイルは一致しますが、作られてから変わっていないことしか示しません）。
hint-not-made-by-hakobu = hakobu のアーカイブとして受け取らないでください。どのように作ったかを送った人に確認してください。鍵があれば hakobu verify -i ですべて確認できます。

## pack（暗号化して保存する）

pack-audience-passphrase = このアーカイブはパスフレーズだけで開けます。
pack-audience = このアーカイブを開けるのは、次の宛先の鍵だけです:
pack-audience-policy = {"  "}［運用ルールで追加］
pack-audience-default = {"  "}［情報システム担当が決めた既定の宛先］
pack-split = アーカイブを { $volumes } 個の分割ファイルに分けました。チェックサムファイル { $sidecar } と一緒に運んでください（受け取る人は最初の分割ファイルを指定します）。
pack-saved-read-back = 保存し、書き込み後の確認も済みました
pack-saved-no-read-back = 保存しました（--no-verify のため書き込み後の確認はしていません）
pack-done = { $files }（{ $bytes }）を暗号化しました。{ $saved }。USBメモリを取り外しても大丈夫です。

# 保存先の媒体（#25: pack）
error-source-on-output-medium = { $source } は、保存先と同じUSBメモリ（{ $out }）にあります。暗号化されていない元のファイルがUSBメモリに残るため、保存しません。
hint-source-on-output-medium = 先に { $source } をこのパソコン（ドキュメントなど）にコピーし、コピーしたほうを暗号化してください。そのあと、USBメモリの元のファイルを削除してください。
error-archive-key-on-medium = 保存先のUSBメモリ（{ $out }）に、このアーカイブを開ける鍵ファイル { $key } があります。鍵はデータと一緒に運べないため、保存しません。
error-archive-key-on-medium-maybe = 保存先のUSBメモリ（{ $out }）に、鍵ファイルのような { $key } があります。パスフレーズなどで守られているため、だれの鍵か確かめられません。
hint-archive-key-on-medium = 鍵ファイルをUSBメモリからこのパソコンに移して（または情報システム担当に渡して）から、もう一度暗号化してください。
notice-key-scan-partial = { $root } はファイルが多いため、鍵ファイルは一部しか確かめていません。
pack-done-local = { $files }（{ $bytes }）を暗号化しました。{ $saved }。保存先: { $dir }

## unpack（展開する）

unpack-done = { $files }（{ $bytes }）を { $dest } に展開しました。すべてのファイルのチェックサムが一致しました。

## 持ち運ぶ媒体（「… には展開しません」の中）

medium-removable = USBメモリやSDカード
medium-fat = FAT 形式のUSBメモリやSDカード
medium-exfat = exFAT 形式のUSBメモリやSDカード

## パスフレーズの入力

prompt-passphrase-label = パスフレーズ:
# pinentry の画面の題とボタン（#26）
prompt-dialog-title = hakobu
prompt-dialog-ok = OK
prompt-dialog-cancel = 中止
prompt-new-key-passphrase = 新しい鍵ファイルを守るパスフレーズを入力してください（展開するたびに入力します）
# 署名鍵は暗号化して保存するときに使います（#26）
prompt-new-signing-key-passphrase = 新しい署名鍵を守るパスフレーズを入力してください（暗号化して保存するたびに入力します）
prompt-new-archive-passphrase = アーカイブのパスフレーズを入力してください（空のままにすると強いパスフレーズを作ります）
prompt-again = 確認のため、同じパスフレーズをもう一度入力してください
prompt-empty-key-passphrase = 空のパスフレーズでは鍵を守れません。入力してください（{ $tries } 回中 { $next } 回目）。やめるときは Ctrl+C を押します。
prompt-weak = 弱いパスフレーズです（強さ 約 { $bits } ビット。{ $recommended } ビット以上を勧めます。例: ランダムな5つの単語、または英数字と記号を12文字）。このまま使うときは同じものをもう一度、選び直すときは別のものを入力してください。
prompt-differ = 2回の入力が一致しません。一つを選んで2回入力してください（{ $tries } 回中 { $next } 回目）。
prompt-archive-retry = アーカイブを開けませんでした。もう一度入力してください（{ $tries } 回中 { $attempt } 回目）。
prompt-archive-passphrase = このアーカイブのパスフレーズを入力してください
prompt-key-file-retry = 鍵ファイルを開けませんでした。もう一度入力してください（{ $tries } 回中 { $attempt } 回目）。
prompt-key-file-passphrase = 鍵ファイル { $path } のパスフレーズを入力してください
prompt-signing-key-retry = 署名鍵を開けませんでした。もう一度入力してください（{ $tries } 回中 { $attempt } 回目）。
prompt-signing-key-passphrase = 署名鍵 { $path } のパスフレーズを入力してください（保存するアーカイブに署名します）

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
    {"    "}hakobu recipients add 事務所の名前 { $recipient }

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
verify-files-value = { $files } 個（{ $bytes }）
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

# USBメモリの検証: 中身による判定（issue #32: scan）
scan-finding-unreadable = 確認できません { $path }（このパソコンでは読み取れませんでした。中身は分かりません。別のパソコンでは読める可能性があります）
scan-unsafe-unchecked = 安全ではありません: このUSBメモリに確認できないものが { $count } 件あります。このパソコンでは読み取れませんが、別のパソコンでは読める可能性があります。中身を確かめてから（開けない場合は情報システム担当に連絡してください）、もう一度検証してください。

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
source-no-name = ドライブ全体（またはルートのフォルダー）なので、アーカイブに入れる名前がありません
source-reserved = .hakobu と .hakobu-staging-* は hakobu が使う名前です
source-name = この名前ではどこでも安全に展開できるとは限りません（{ $problem }）
error-unsafe-source = { $path } は暗号化できません: { $problem }。
error-unsafe-sources = 安全に暗号化できないものが { $count } 件あります:
error-unsafe-sources-more = {"  "}… ほか { $count } 件
hint-unsafe-source = そのファイルを外すか置き換えて、もう一度保存してください。
hint-source-root = ドライブを開き、中のフォルダーやファイルを選んで、もう一度保存してください。
hint-unsafe-sources = 表示されたものの名前を変えるか、外すか置き換えて、もう一度保存してください。
error-output-not-a-folder = { $path } はフォルダーではありません。-o には保存先のフォルダーを指定してください。
error-archive-is-folder = { $path } はフォルダーです。アーカイブのファイルを指定してください。
error-output-inside-source = 保存先 { $output } が、暗号化するフォルダー { $packed } の中にあります。別の保存先を指定してください。
error-destination-busy = { $path } は別の hakobu が使っています。終わるまで待ってください。
error-destination-is-symlink = 展開先 { $path } はリンクです。実際のフォルダーを指定してください。
error-destination-not-a-folder = 展開先 { $path } はフォルダーではありません。

## i18n remainder (#14): problems inside keys, names, the config and archives
key-problem-secret = は秘密鍵です（公開鍵ではありません）。使っていません。この鍵は漏れたものとして扱い、作り直してください
key-problem-not-a-key = は公開鍵ではありません（age1…、ssh-ed25519 …、ssh-rsa …、またはプラグインの age1… で始まります）
name-problem-empty = 名前が空です
name-problem-control = 名前に制御文字は使えません
name-problem-too-long = 名前は { $max } 文字以内にしてください
name-problem-looks-like-key = 名前ではなく鍵のようです。hakobu recipients add 名前 公開鍵 の順に指定してください
config-problem-missing = ファイルがありません
config-problem-not-utf8 = UTF-8 のテキストではありません
config-problem-bad-name = 宛先の名前「{ $name }」: { $problem }
config-problem-no-keys = 宛先「{ $name }」に公開鍵がありません
config-problem-bad-key = 宛先「{ $name }」の { $index } 番目の鍵{ $problem }
config-problem-duplicate-name = 宛先「{ $name }」が二回あります（全角・半角などをそろえたうえで比べています）
config-problem-bad-policy-name = { $field } の「{ $entry }」: { $problem }
config-problem-bad-policy-key = { $field } の鍵{ $problem }
path-not-utf8 = 名前が UTF-8 ではありません
path-empty = 名前が空です
path-absolute = 絶対パス（ドライブやルートから始まる場所）です
path-backslash = 名前に \ が入っています（Windows のフォルダーの区切り）
path-too-deep = フォルダーが { $max } 階層より深くなっています
path-empty-component = 場所の途中に空の名前があります（//）
path-traversal = 「.」か「..」が入っています（展開先の外を指す場所）
path-nul = 名前に NUL 文字が入っています
path-parent-not-folder = その上の階層が同じ名前のフォルダーではありません
path-parent-missing = その上のフォルダーがアーカイブの中で先に出てきません
path-duplicate = 二回入っています
entry-kind-symlink = シンボリックリンク
entry-kind-hard-link = ハードリンク
entry-kind-device = デバイスファイル
entry-kind-fifo = FIFO
entry-kind-contiguous = contiguous ファイル
entry-kind-sparse = スパースファイル
entry-kind-global-pax = グローバル pax ヘッダー
entry-kind-unknown = 種類の分からないもの
path-not-file-or-folder = { $what }です。入れられるのはファイルとフォルダーだけです
path-pax-size-mismatch = pax の大きさの記録がヘッダーと合いません
path-mtime-too-late = 更新日時が 9999 年より後になっています
path-folder-with-data = フォルダーなのにデータを持っています
path-link-target = リンク先を持っています
path-gnu-long-name = 名前が GNU の長い名前の記録から来ています（hakobu は使いません）
path-unexpected-field = スパースファイルかリンクの記録を持っています（{ $field }）
path-size-beyond-archive = { $bytes } バイトあると書かれていますが、アーカイブにはそれだけのデータがありません（途中までのアーカイブか、ディスクをあふれさせるために作られたものです）
path-pax-malformed = pax ヘッダーの形式が正しくありません
path-pax-too-large = pax ヘッダーが hakobu の作るものより大きくなっています
path-pax-size-not-a-number = pax の大きさの記録が数字ではありません
path-pax-key-twice = pax ヘッダーが「{ $key }」を二回設定しています
path-file-name-ends-with-slash = ファイル名が / で終わっています（ほかのソフトではフォルダーになります）
layout-tar-in = { $detail }（「{ $entry }」のヘッダー）
layout-entries-after-sums = チェックサムの一覧の後にまだデータがあります
layout-unexpected-reserved = hakobu の管理用の「{ $entry }」が予想外の場所にあります（本来は { $expected }）
layout-manifest-too-large = ファイル一覧（manifest）が hakobu の作るものより大きくなっています
layout-ends-inside = 「{ $entry }」の途中で終わっています
layout-files-after-manifest = ファイル一覧（manifest）の後にファイルがあります
layout-data-after-end = アーカイブの終わりの後にデータがあります
layout-no-manifest = ファイル一覧（.hakobu/manifest.json）がありません。hakobu ではなく tar と age で作ったものではありませんか
layout-no-sums = チェックサムの一覧がありません
layout-bad-end = アーカイブの終わりの印か埋め草が正しくありません
manifest-not-json = JSON として読めません（{ $detail }）
manifest-unsupported-version = 知らない形式「{ $version }」です（この hakobu が読めるのは { $supported } です。新しい hakobu が必要かもしれません）
manifest-not-canonical = 決められた書き方になっていません
manifest-bad-archive-id = archive_id が 32 けたの小文字の16進数ではありません
manifest-bad-digest = { $path } の SHA-256 が正しくありません
manifest-size-overflow = ファイルの大きさの合計が 2^64 バイトを超えます
manifest-totals-mismatch = 合計が合いません
manifest-path-not-canonical = 場所「{ $path }」が決められた書き方になっていません
manifest-sums-disagree = SHA256SUMS がファイル一覧と合いません
manifest-not-in-manifest = { $path } はアーカイブにありますが、ファイル一覧にありません
manifest-missing-from-archive = { $path } はファイル一覧にありますが、アーカイブにありません
manifest-out-of-order = ファイル一覧では別のものがある位置に { $path } があります
manifest-folders-differ = アーカイブの中のフォルダーがファイル一覧と違います
volume-duplicate = { $first } と { $second } の両方が { $number } 番目の分割ファイルになっています
volume-missing-listed = 分割ファイル { $name } がありません（チェックサムファイルには載っています）
volume-missing = 分割ファイル { $name } がありません
volume-foreign = { $name } はこのアーカイブのものではありません（チェックサムファイルに載っていません）。取り除くか、正しいファイルを用意してください
volume-empty = 分割ファイル { $name } が空です（途中までしかありません）
volume-truncated = 分割ファイル { $name } が途中までしかありません（{ $size }。ほかは { $expected }）
volume-oversized = 分割ファイル { $name } が前の分割ファイルより大きくなっています。別の組のものか、前のものが途中までしかありません
volume-out-of-order = 分割ファイル { $name } の中身は { $holds } のものです。順番が入れ替わっています（名前を変えましたか）
volume-changed = { $name } が読んでいる間に変わりました
volume-damaged = 分割ファイル { $name } がチェックサムと合いません。壊れているか、書き換えられています
header-truncated = ヘッダーの途中でファイルが終わっています
header-unknown-version = 新しい、知らない版の age で作られています
header-malformed = ヘッダーの形式が正しくありません
error-bad-recipient = -r: 「{ $key }」{ $problem }。
error-bad-recipient-text = -r: 指定された文字列{ $problem }。
error-recipients-file-missing = 宛先ファイル { $path } がありません。
error-bad-recipients-file = 宛先ファイル { $path } の { $line } 行目: その文字列{ $problem }。
error-recipients-unusable = この宛先には暗号化できません: { $detail }
error-passphrase-with-names = -p と --to は一緒に使えません。アーカイブは鍵で開くものか、一つのパスフレーズで開くもののどちらかです。
error-bad-label-folders = --name 「{ $name }」: フォルダーを含まない名前にしてください。
error-bad-label = --name 「{ $name }」: { $problem }
error-split-too-small = --split { $size } では、最大 { $bound } のアーカイブが { $volumes } 個を超える分割ファイルになります。もっと大きな値を指定してください。
error-no-key-location = ホームフォルダーが分かりません。-o で鍵ファイルの場所を指定してください。
error-no-config-location = 設定ファイルの場所が分かりません。--config で指定してください。
error-config = 設定ファイル { $path } が使えません: { $problem }
error-bad-name = 名前「{ $name }」は使えません: { $problem }
error-key-not-listed = 鍵 { $key } は { $name } に登録されていません。
error-random = OS の乱数の生成に失敗しました: { $detail }
error-policy-forbids-passphrase = 運用ルールで、パスフレーズだけのアーカイブは作れません（policy.allow_passphrase = false）。--to 宛先名 で保存してください。
error-policy-escrow-needs-keys = 運用ルールで、すべてのアーカイブに控えの鍵が加わります（policy.always）。パスフレーズのアーカイブには加えられないため、--to 宛先名 で保存してください。
error-policy-forbids-raw-keys = 運用ルールで、宛先帳の名前しか使えません（policy.allow_raw_keys = false）。--to 宛先名 を使ってください。
error-mixed-post-quantum = 耐量子の鍵と従来の鍵が混ざります。従来の鍵（{ $classic }）があると、将来の量子コンピューターで開けるおそれがあります。
error-name-in-policy = { $name } は設定ファイルの [policy] で使われています。先に運用ルールを直してください。
error-config-managed = { $path } は情報システム担当が管理しています（policy.managed = true）。宛先帳の変更は情報システム担当に頼んでください。
error-config-read-only = { $path } は書き込めません。宛先帳の変更は情報システム担当に頼んでください。
error-key-on-archive-medium = 鍵はこのパソコン（既定の場所）に保存してください。{ $key } はアーカイブ { $archive } と同じUSBメモリの上です。鍵はデータと一緒に運べません。
error-key-file-encrypted-to-keys = 鍵ファイル { $path } はパスフレーズではなく別の鍵で暗号化されています。hakobu では開けません。
error-unsupported-ssh-key = 鍵ファイル { $path } の SSH 鍵は、hakobu が使えない種類です。
error-key-file-unusable = 鍵ファイル { $path } が使えません。
error-key-unusable = 鍵（またはそのプラグイン）が使えません。
error-passphrase-no-terminal = パスフレーズを読めません（端末がありません）。
error-passphrase-unavailable = パスフレーズを読めません: { $detail }
error-empty-passphrase = 空のパスフレーズでは何も守れません。
error-excessive-work = このアーカイブのパスフレーズの保護は、計算量が大きすぎます（作業係数 { $factor }）。hakobu の既定で作られたものではありません。
error-bad-header = { $path } のヘッダーが壊れています: { $problem }
error-bad-layout = { $path } は正しい hakobu のアーカイブではありません: { $problem }
error-bad-manifest = アーカイブのファイル一覧が正しくありません: { $problem }
mismatch-size = 大きさ
mismatch-mtime = 更新日時
error-checksum-mismatch = ファイル { $path } がファイル一覧と合いません（{ $what }）。改ざんの可能性があります。
error-unsafe-entry = アーカイブに安全でないものが入っています: 「{ $entry }」: { $problem }
error-volumes-uncounted = { $cause } チェックサムファイル（{ $sidecar }）がないため分割ファイルの数を確かめられず、{ $last } の後の分割ファイルがないのかもしれません（見つかったのは { $found } 個です）。
hint-config = ファイルを直すか（書き方は docs/KEYS.md にあります）、情報システム担当から配り直してもらってください。
hint-passphrase-unavailable = hakobu を端末（コマンドプロンプトや PowerShell）で実行してください。端末のないサービス用アカウントでは keygen --no-passphrase を使います。
hint-empty-passphrase = パスフレーズを決めてください。サービス用アカウントでは --no-passphrase を使います。
error-recipients-add-secret = 登録しませんでした。それは秘密鍵です（公開鍵ではありません）。
hint-recipients-add-secret = 公開鍵（age1…、hakobu keygen が表示したもの）を登録してください。秘密鍵をコマンドに入力したため、その鍵は漏れたものとして扱い、作り直してください。
error-recipients-add-bad-key = 登録しませんでした。「{ $key }」{ $problem }。
key-kind-public = 公開鍵
key-kind-x25519 = age の X25519 鍵
key-kind-ssh = SSH 鍵
key-kind-tag = ハードウェアの鍵（age1tag）
key-kind-tagpq = 耐量子のハードウェアの鍵（age1tagpq）
key-kind-pq = 耐量子の鍵（age-plugin-pq）
key-kind-plugin = プラグインの鍵（age-plugin-{ $name }）
count-folders = { $shown } 個のフォルダー
demo-kept = 体験用のフォルダーを残しました: { $path }（終わったら削除してください）。
demo-removed = 体験用のフォルダーを、中身ごと削除しました。
demo-where = hakobu の体験: すべて { $path } の中で行います
demo-step-members = 1. 架空の会員名簿（架空の 20 人）を作りました: { $path }
demo-step-key = 2. 受け取る事務所の体験用の鍵を作りました（hakobu keygen）: { $path }
    {"   "}その公開鍵: { $public }
demo-sender = 送る事務所（体験用）
demo-step-sign-key = {"   "}送る事務所の署名鍵も作りました（hakobu keygen --sign）: { $path }。受け取る側はその公開鍵を登録しているので、だれが作ったアーカイブか確かめられます
demo-step-pack = 3. { $files }を { $path } に暗号化して保存しました（hakobu pack -r 公開鍵 -o USBメモリ）: { $size }。「USBメモリ」から読み直し、書いたとおりでした
demo-step-pack-stick = {"   "}USBメモリにあるのは、暗号化したアーカイブとチェックサムファイル { $sidecar }、署名ファイル（.sig）だけです
demo-step-verify = 4. 情報システム担当が持ち出す前にするように、鍵なしで検証しました（hakobu verify）: チェックサムとヘッダーは正常です
demo-step-unpack = 5. 体験用の鍵で { $files }を { $path } に展開しました（hakobu unpack -i 鍵ファイル -o 展開先）
demo-step-compare = 6. { $path } を元のファイルと比べました: 1 バイトも違いません
demo-done = 以上が作業のすべてです。実際のデータでは、README.ja.md のとおり pack --to 宛先名、unpack、verify を使います。
list-summary = { $files }、{ $folders }、合計 { $bytes }。アーカイブ { $id }（{ $created } に { $tool } で作成）。すべてのチェックサムが一致しました。
book-state-new = （まだありません。hakobu recipients add 名前 公開鍵 で作られます）
book-state-managed = （情報システム担当が管理しています）
book-summary = { $place } に { $n } 件の宛先があります{ $state }
book-policy-always = 運用ルール: すべてのアーカイブを { $names } にも暗号化します
book-policy-default-to = 運用ルール: --to がないときの宛先は { $names } です
book-policy-no-passphrase = 運用ルール: パスフレーズだけのアーカイブは作れません
book-policy-no-raw-keys = 運用ルール: 宛先帳の名前だけが使えます（-r、-R は使えません）
book-show = { $name } の鍵（{ $n } 個）:
book-name-trimmed = 名前「{ $given }」の前後の空白を除き、「{ $stored }」として登録しました
book-names-and = 、
book-key-shared = 鍵 { $key } は { $names } にも登録されています。この鍵を持つ人はどちらのアーカイブも開けます。意図したとおりか確かめてください
book-key-present = 鍵 { $key } はすでに { $name } に登録されています。
book-added = { $place } の { $name } に鍵を { $n } 個登録しました。
book-removed-name = { $place } から { $name } を削除しました。
book-removed-keys = { $place } の { $name } から鍵を { $n } 個削除しました。
book-no-location = （設定ファイルの場所がありません）
# recipients list のパソコン全体の運用ルール（issue #25）
book-machine-policy = パソコン全体の運用ルール: { $path }（[policy]・[ledger]・[signing]・[senders] はこのファイルで決まります。利用者の設定ファイルでは宛先を加えることだけができます）
book-machine-managed = パソコン全体の運用ルール: { $path }（managed = true: すべてこのファイルで決まります。利用者の宛先帳は使いません）
book-summary-machine = 宛先は { $n } 件です（パソコン全体の運用ルールから { $machine } 件、{ $place } から { $user } 件）{ $state }
book-user-ignored = { $place } の { $tables } は使っていません（パソコン全体の運用ルールで決まります）
book-user-shadowed = { $place } の { $names } は使っていません（パソコン全体の運用ルールにある宛先を使います）
book-machine-changeable = 注意: { $path } かそのフォルダーは、管理者以外の利用者も変えられます。このままでは運用ルールが守られません。情報システム担当は、管理者だけが変えられるようにしてください（情報システム担当へ 8）。
progress-rate = 毎秒 { $size }
progress-left = 残り { $time }
time-hms = { $h }時間{ $m }分{ $s }秒
time-ms = { $m }分{ $s }秒
time-s = { $s }秒
generated-passphrase = パスフレーズを作りました（約 { $bits } ビット。手で考えたものよりずっと強いものです）:

    {"    "}{ $passphrase }

    書き留めて、USBメモリとは別の方法（電話など）で伝えてください。区切りごとに読み上げてください。使っている文字は数字の 2～9 と、見間違えやすい文字（0、1、i、l、o）を除いた小文字の a～z だけです。ハイフン（-）もパスフレーズの一部です。
error-stdout = 標準出力に書き込めません: { $detail }
ledger-chain-broken-warning = 持出し記録の検証に失敗しました。hakobu ledger verify で確かめてください
ledger-receipt-imported = アーカイブ { $id } の受領を { $path } に記録しました（{ $seq } 件目）
ledger-problem-bad-line = { $line } 行目は持出し記録の形式ではありません
ledger-problem-altered = { $seq } 件目の記録（{ $line } 行目、アーカイブ { $id }）が書き換えられています（次の記録が持つチェックサムと合いません）
ledger-problem-missing-one = { $seq } 件目の記録がありません（{ $line } 行目の前）
ledger-problem-missing = { $from } 件目から { $to } 件目の記録がありません（{ $line } 行目の前）
ledger-problem-torn-tail = 最後の { $line } 行目は、書き込みの途中で途切れています。次に保存するとき .torn ファイルに移します
error-ledger-unwritable = 持出し記録 { $path } に書き込めません: { $reason }。
error-ledger-broken = 持出し記録 { $path } の検証に失敗しました（問題 { $n } 件）: { $problem }
error-ledger-record-not-found = 持出し記録 { $path } に、アーカイブ { $id } の記録がありません。
error-ledger-tag-required = 運用ルールで、保存するときは --{ $field } が必要です。
error-bad-receipt = 受領ファイル { $path } は取り込みませんでした: { $problem }。
ledger-key-fingerprint = 公開鍵 { $start }
ledger-escrow = { $who }（控えの鍵）
ledger-passphrase = パスフレーズ
ledger-received = 受領済み
ledger-refused = 受け取り拒否: { $reason }
ledger-field-id = アーカイブID
ledger-field-packed = 持出し日時
ledger-packed-at = { $time }（No. { $seq }）
ledger-field-sender = 持出し者
ledger-field-recipients = 宛先
ledger-field-opens-with = 開き方
ledger-contents = { $files }、{ $folders }、合計 { $size }
ledger-field-contents = 中身
ledger-field-archive = アーカイブ
ledger-archive-facts = { $size }（{ $n } 個のファイル）、SHA-256 { $sha256 }
ledger-removable = 取り外し可能
ledger-fixed = 固定ディスク
ledger-removable-unknown = 取り外し可能か不明
ledger-field-medium = 媒体
ledger-field-algorithms = 暗号の方式
ledger-field-purpose = 目的
ledger-field-categories = データ区分
ledger-field-receipts = 受領確認
ledger-no-receipts = まだありません
ledger-field-receipt = 受領確認
ledger-receipt-verified = 展開して検証しました
ledger-receipt-refused = 受け取りを拒否しました（{ $reason }）
ledger-receipt-line = { $time } { $result }（{ $who }、{ $source }）
ledger-verifies = 持出し記録 { $path } を検証しました: { $n } 件、改ざんはありません
ledger-does-not-verify = 持出し記録 { $path } の検証に失敗しました: 問題 { $n } 件
ledger-head = 最後の記録のチェックサム: { $hash }（別の場所に控えてください。新しい記録が削られていないことの確認に使います）
alg-role-key-agreement = 鍵共有
alg-role-key-encapsulation = 鍵カプセル化
alg-role-key-wrapping = 鍵の暗号化
alg-role-passphrase-kdf = パスフレーズからの鍵導出
alg-role-key-derivation = 鍵導出
alg-role-encryption = データの暗号化と改ざん検知
alg-role-checksum = チェックサム
alg-role-other = その他
alg-ssh = SSH 公開鍵（RSA-OAEP または Ed25519/X25519）
alg-plugin = プラグインの方式
unknowable-passphrase-handover = パスフレーズが安全な方法で伝えられたか（パスフレーズで保護した場合）
unknowable-key-leaked = 宛先の鍵ファイルやパスフレーズが、ほかの経路で漏れていないか
unknowable-copies = 同じデータが暗号化されずに別の媒体やメールで持ち出されていないか
unknowable-contents = ファイルの中身（持出し記録には書かれません。ファイル名は監査用の一覧がある場合だけ分かります）
report-title = USBメモリ紛失時の報告用情報（hakobu 持出し記録より）
report-intro = 個人情報保護委員会への漏えい等報告の項目（個人情報保護法施行規則第8条第1項の各号）の順に示します。「記入してください」の項目は hakobu には分かりません。
report-fill-in = （記入してください。hakobu には分かりません）
report-1-summary = 1. 概要
report-id = アーカイブID: { $id }
report-packed = 持出し日時: { $time }、持出し者: { $sender }
report-purpose = 目的: { $purpose }
report-medium = 媒体: { $fs }（{ $removable }）{ $label }
report-loss-circumstances = 紛失した日時・場所・経緯:（記入してください）
report-2-items = 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目
report-no-categories = データ区分: 記録されていません（暗号化するときに --category が指定されませんでした）
report-categories = データ区分: { $list }
report-list-separator = 、
report-audit-copy = ファイル名の一覧: 監査用の鍵でだけ開ける形で記録にあります（情報システム担当が確認できます）
report-3-people = 3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数
report-counts = { $files }、{ $folders }、合計 { $size }
report-count-people = hakobu が知っているのはファイルの数です。本人の数はファイルの中身から数えてください
report-4-cause = 4. 原因
report-5-harm = 5. 二次被害又はそのおそれの有無及びその内容
report-6-people-informed = 6. 本人への対応の実施状況
report-7-published = 7. 公表の実施状況
report-8-prevention = 8. 再発防止のための措置
report-9-other = 9. その他参考となる事項
report-protection-heading = 高度な暗号化その他の個人の権利利益を保護するために必要な措置:
report-encrypted = 暗号化: あり。媒体には暗号化したアーカイブ（{ $size }、{ $n } 個のファイル、SHA-256 { $sha256 }）とチェックサムファイルだけを保存しました。
report-keys-heading = 鍵の管理:
report-opens-passphrase = パスフレーズで開きます（だれが知っているかは hakobu の記録にはありません）
report-opens-keys = 次の宛先の鍵でだけ開けます:
report-key-holder = { $who }（公開鍵の SHA-256: { $fingerprint }）
report-no-secret-key-packed = 秘密鍵はアーカイブに入っていません（hakobu は 16 KB 以下のすべてのファイルを調べ、秘密鍵があると保存を止めます）
report-key-on-medium = 注意: 暗号化した時点で、同じ媒体に鍵ファイル（またはそれらしいファイル）がありました
report-no-key-on-medium = 暗号化した時点で、同じ媒体に鍵ファイルは見つかりませんでした
report-receipts-heading = 受領確認:
report-no-receipts = 受け取る事務所からの受領確認は記録されていません
report-ledger-verified = 持出し記録を検証しました（チェックサムの連鎖が一致）。この記録は書き換えられていません
report-ledger-not-verified = 注意: 持出し記録の検証に失敗しました。この記録は書き換えられた可能性があります（hakobu ledger verify）
report-unknowable-heading = hakobu には分からないこと:
notice-receipt-not-recorded = ファイルは展開して検証しましたが、受領を { $path } に記録できませんでした: { $detail }
report-algorithm = { $role }: { $name }（{ $standard }）
report-receipt = { $time } { $result }（{ $who }）
fs-other = その他のファイルシステム
fs-unknown = ファイルシステム不明
help-heading-arguments = 引数
help-heading-options = オプション
help-heading-commands = コマンド
# 使い方の行と表の <DIR> などを日本語で（#26）
help-usage-options = オプション
help-usage-command = コマンド
help-value-archive = アーカイブ
help-value-date = 日付
help-value-dir = フォルダー
help-value-file = ファイル
help-value-id = アーカイブ
help-value-key = 鍵
help-value-label = 名前
help-value-name = 名前
help-value-recipient = 公開鍵
help-value-size = 大きさ
help-value-source = ファイル
help-value-text = 文
help-value-user = ユーザー名
help-value-path = ファイル
help-template = {"{"}before-help{"}"}{"{"}about-with-newline{"}"}
    使い方: {"{"}usage{"}"}

    {"{"}all-args{"}"}{"{"}after-help{"}"}
help-no-default-key = このパソコンでは決まっていません。-o で指定してください
help-any-help = ヘルプを表示します
help-any-version = バージョンを表示します
help-any-quiet = エラー（と求められた出力）以外は表示しません
help-any-json = 結果を一つの JSON として出力します
help-any-help-about = この説明か、指定したコマンドの説明を表示します
help-any-config = 使う宛先帳と運用ルール（既定: $HAKOBU_CONFIG、なければ設定フォルダーの hakobu/config.toml。docs/KEYS.md を見てください）
help-any-identity = アーカイブを開く鍵ファイル（何度でも指定できます）。-i がないときは、hakobu keygen で作った自分の鍵（{ $key }）を使い、アーカイブにパスフレーズがあれば尋ねます
help-any-archive = アーカイブ（.age ファイル）
help-any-id = アーカイブ: アーカイブID（先頭 4 桁以上でも可）、アーカイブの名前（名前.age。.age は省略可）、分割ファイルの名前、USBメモリのラベル、記録の番号（No.12）のどれか
help-hakobu-about = 個人データを USBメモリで運ぶための、暗号化してチェックサムを付けたアーカイブ
help-demo-about = 架空のデータで作業の全体を体験します: 使い捨てのフォルダーに会員名簿、体験用の鍵、USBメモリの代わりのフォルダーを作り、暗号化して保存、検証、展開、比較まで行います
help-demo-keep = 体験用のフォルダー（アーカイブ、鍵、展開したもの）を残して、中を見られるようにします
help-keygen-about = アーカイブを受け取るための鍵を作ります。情報システム担当に渡す公開鍵を表示します
help-keygen-output = 鍵ファイルを保存する場所 [既定: { $key }。$HAKOBU_IDENTITY があればそちら]
help-keygen-no_passphrase = 鍵をパスフレーズで守らずに保存します（サービス用アカウント向け）。既定では、決めたパスフレーズで暗号化します
help-pack-about = ファイルやフォルダーを、内容の分からない名前のアーカイブに暗号化して保存します
help-pack-sources = 暗号化するファイルとフォルダー
help-pack-output = アーカイブを保存するフォルダー（USBメモリなど）
help-pack-to = 宛先帳でその名前（例: 本社）に登録された全員の鍵に暗号化します。何度でも指定できます
help-pack-recipient = この公開鍵に暗号化します（age1…、ssh-ed25519 …、ssh-rsa …）。何度でも指定できます
help-pack-recipients_file = このファイルにあるすべての公開鍵に暗号化します。何度でも指定できます
help-pack-passphrase = 鍵の代わりにパスフレーズで守ります（2 回尋ねます。空にすると強いものを作ります）
help-pack-name = アーカイブの名前を内容の分からない名前ではなく 名前.age にします（名前は USBメモリの上で見えます）
help-pack-armor = ASCII 形式で書き出します（大きくなります。既定はバイナリです）
help-pack-no_verify = 保存した後の書き込み後の確認を省きます
help-pack-split = 1 個あたり SIZE 以下の分割ファイル 名前.age.001、.002 … に分けます（例: 4G、700M、またはバイト数。K/M/G/T は 1024 の累乗）。FAT32 では hakobu が自動で分けます
help-pack-purpose = 持ち出す目的（持出し記録に書きます。例: 本社へ月次報告）
help-pack-category = データ区分（持出し記録に書きます。例: 健診結果）。何度でも指定できます
help-recipients-about = 宛先帳: 名前（事務所や人）とその公開鍵
help-recipients-name = 宛先帳の名前（例: 本社）
help-recipients-list-about = すべての名前と鍵、運用ルールを表示します
help-recipients-show-about = 一つの名前の鍵を表示します
help-recipients-add-about = 名前に公開鍵を登録します（名前がなければ作ります）
help-recipients-add-keys = 公開鍵: age1…、"ssh-ed25519 …"、プラグインの age1…
help-recipients-remove-about = 名前と鍵を削除するか、指定した鍵だけを削除します（鍵の入れ替え）
help-recipients-remove-keys = この鍵だけを削除します（ほかの鍵があるあいだは名前は残ります）
help-ledger-about = 持出し記録: いつ、だれが、だれに宛てて、何を暗号化して持ち出したか
help-ledger-config = 使う宛先帳と運用ルール（その [ledger] の path が持出し記録の場所です）
help-ledger-ledger = 読む持出し記録のファイル（既定: 運用ルールの [ledger] の path、なければ利用者ごとのもの）
help-ledger-list-about = 記録を一覧にします（新しいものが最後）
help-ledger-list-since = この日以降の記録だけ（YYYY-MM-DD、画面に表示される日付）
help-ledger-list-until = この日までの記録だけ（YYYY-MM-DD、画面に表示される日付）
help-ledger-list-office = この事務所宛てのアーカイブだけ（宛先帳の名前）
help-ledger-list-sender = このユーザー名で保存されたアーカイブだけ
help-ledger-list-not_received = 展開して検証した受領確認がまだのアーカイブだけ
help-ledger-show-about = 一つのアーカイブの記録を表示します
help-ledger-verify-about = 記録のチェックサムの連鎖を検証し、なくなった記録や書き換えられた記録を示します
help-ledger-export-about = 持出し記録を表（CSV、日本語の見出し、Excel で開けます）に書き出します
help-ledger-export-csv = CSV（BOM 付き UTF-8）。今はこの形式だけです
help-ledger-export-output = 画面ではなくこのファイルに書き出します
help-ledger-report-about = USBメモリを紛失したときの報告用情報: hakobu に分かることと分からないこと
help-ledger-import-about = 受領ファイル（受け取る事務所が作る 名前.age.receipt）を持出し記録に取り込みます
help-ledger-import-file = 受領ファイル
help-list-about = アーカイブの中身を表示します（すべて開いて検証します。何も書き出しません）
help-unpack-about = アーカイブをフォルダーに展開します。すべてのバイトを検証するまで、何も取り出しません
help-unpack-output = 展開先のフォルダー（なければ作ります）
help-unpack-force = 同じ名前のファイルがあれば置き換えます
help-unpack-allow_removable_destination = それでも USBメモリやSDカード（FAT/exFAT、取り外せるもの）に展開します（既定では止めます: 持った人がだれでも読めてしまうため）
help-unpack-receipt = アーカイブの横に受領ファイル 名前.age.receipt（ID、日時、結果、チェックサム。中身は入りません）を書き、送った側が hakobu ledger import で取り込めるようにします
help-verify-about = アーカイブを検証します。鍵なしではチェックサムファイルとヘッダーを、-i があればすべてのバイトとファイルを検証します
help-verify-paths = アーカイブ（.age、または最初の分割ファイル .age.001）とフォルダー。フォルダー（USBメモリのルートなど）は中を調べ、すべてのアーカイブを検証し、暗号化されていないファイルを示します
help-verify-identity = 鍵ファイル: チェックサムファイルの代わりに、すべてのファイルを開いて検証します（何も書き出しません）
error-bad-day = 日付は YYYY-MM-DD の形で指定してください（例: 2026-12-01）
usage-unknown-argument = 「{ $arg }」というオプションはありません。
usage-unknown-command = 「{ $command }」というコマンドはありません。
usage-missing = 必要な指定がありません: { $args }
usage-bad-value = 「{ $arg }」に「{ $value }」は使えません。{ $reason }
usage-conflict = 「{ $arg }」と「{ $other }」は一緒に使えません。
usage-value-count = 「{ $arg }」の値の数が違います。
usage-no-equals = 「{ $arg }」の値は = の後に書いてください。
usage-did-you-mean = 「{ $suggestion }」のことですか。
usage-hint = 使い方: { $usage }（詳しくは --help）
report-medium-label = 、ラベル「{ $label }」
help-ledger-report-identity = 情報システム担当の監査用の鍵ファイル: 記録の監査用の一覧を開いて、ファイル名を示します。何度でも指定できます
report-file-list = ファイル名（{ $n }。監査用の鍵で開いた一覧）:
## 持出し記録: 事務所の一日（#25）
error-ledger-missing = 持出し記録 { $path } が見つかりません。削除か移動されたか、共有フォルダーにつながっていません。何も確認していません。
error-ledger-unreadable = 持出し記録 { $path } を読めません: { $reason }。何も確認していません。
hint-ledger-missing = 共有フォルダー（または設定ファイルの [ledger] path）を確かめるか、--ledger ファイル で持出し記録を指定してください。
error-ledger-record-ambiguous = 「{ $query }」に当てはまる記録が { $n } 件あります（持出し記録 { $path }）。番号（No.）かアーカイブIDで一つ選んでください:
hint-ledger-record-ambiguous = 例: hakobu ledger report No.{ $seq }（またはアーカイブID { $id }）
hint-ledger-record-not-found = アーカイブID、アーカイブの名前（名前.age）、分割ファイルの名前、USBメモリのラベル、記録の番号（No.12）のどれかを指定してください。hakobu ledger list で一覧を表示します。
refusal = { $words }（{ $kind }）
refusal-wrong-key = 受け取る事務所の鍵では開けません
refusal-truncated = 途中までしかコピーされていません
refusal-damaged = 途中で壊れたか、変えられています
refusal-not-an-archive = hakobu のアーカイブではありません
refusal-unsafe-entry = 安全でない名前のファイルが入っています
refusal-incomplete = 分割ファイルかチェックサムファイルが足りません
refusal-signature = 送った人の署名が確かめられません
refusal-other = 受け取りを拒否しました
# ja2 (#26 item 2): why a receipt file was refused, and where a receipt came from
receipt-problem = { $words }（{ $code }）
receipt-problem-already-imported = この受領ファイルはすでに取り込み済みです
receipt-problem-bad-field = 書かれている項目が正しくありません
receipt-problem-future-time = 日時がこのパソコンの時計より先になっています
receipt-problem-hash-mismatch = 持出し記録のアーカイブとチェックサムが合いません
receipt-problem-too-large = 受領ファイルとしては大きすぎます
receipt-problem-unknown-id = 持出し記録にないアーカイブの受領ファイルです
receipt-problem-unsigned = 運用ルールで必要な署名がありません
receipt-problem-not-a-receipt = hakobu の受領ファイルではありません
receipt-problem-bad-signature = 署名が正しくありません
receipt-problem-unknown-signer = 登録されていない鍵で署名されています
receipt-problem-other = 取り込めない内容です
receipt-source-local = このパソコンで展開
receipt-source-imported = 受領ファイルから取り込み
ledger-not-yet = 未確認
ledger-col-no = No.
ledger-col-time = 持出し日時
ledger-col-label = 媒体ラベル
ledger-col-archive = アーカイブ
ledger-col-sender = 持出し者
ledger-col-to = 宛先
ledger-col-files = ファイル数
ledger-col-size = 大きさ
ledger-col-arrival = 受領確認
ledger-field-name = アーカイブ名
ledger-field-volumes = 分割ファイル
pack-recorded = 持出し記録に No. { $seq } として記録しました（アーカイブ { $name }）。
report-archive-name = アーカイブ名: { $name }
report-volume-names = 分割ファイル: { $names }
report-harm-encrypted = 記録から分かること: データは暗号化して持ち出されました（9 を見てください）
report-harm-keys = 開けるのは、9 に示す宛先の鍵だけです
report-harm-passphrase = パスフレーズで開くアーカイブです。パスフレーズを知った人はだれでも開けます
report-harm-key-on-medium = 注意: 暗号化した時点で、同じ媒体に鍵ファイル（またはそれらしいファイル）がありました。拾った人が開けるおそれがあります
report-harm-no-key-on-medium = 暗号化した時点で、同じ媒体に鍵ファイルは見つかりませんでした
report-harm-escrow = 情報システム担当の控えの鍵（または監査用の鍵）でも開けます（9 を見てください）
report-harm-unknown-keys = 鍵ファイルがほかの経路で漏れていないか、コピーがほかにないかは、hakobu には分かりません
report-harm-unknown-passphrase = パスフレーズがUSBメモリと別に伝えられたか、コピーがほかにないかは、hakobu には分かりません
scan-finding-receipt = 受領ファイル { $path }（hakobu の受領確認です。中身は入っていません。hakobu ledger import で取り込めます）
ledger-receipt-file-removed = 受領ファイル { $path } を削除しました。
ledger-receipt-file-kept = 受領ファイル { $path } はそのまま残しています（--remove で削除します）。
ledger-ask-remove-receipt = 受領ファイル { $path } をUSBメモリから削除しますか？ 持出し記録に取り込み済みです。{ $keys }
help-ledger-list-medium = このラベルのUSBメモリに保存したアーカイブだけを表示します
help-ledger-import-remove = 取り込んだあと、受領ファイル（USBメモリ上）を確認なしで削除します
help-ledger-import-keep = 受領ファイルを確認なしでそのまま残します
# 持出し記録と後始末（issue #32 項目5・6）: 途切れた行、記録でない行、控えたチェックサム、受領、書けなかった記録
ledger-problem-missing-newline = 最後の { $line } 行目（{ $seq } 件目の記録）の行末がなくなっています。記録はそのまま使い、次の記録を書くときに行末を戻します
ledger-problem-torn-kept = { $path } に、書き込みの途中で途切れた記録 { $bytes } バイトが移してあります
ledger-problem-head-not-found = 控えたチェックサム { $head } を持つ記録がありません。控えたあとで末尾の記録が削られたか、別の持出し記録のチェックサムです
ledger-repair = { $code ->
    [bad-line] 情報システム担当の対応: 持出し記録のファイルを複製して保管し、示した行をテキストエディターで確認してください（手で編集された、または別のプログラムが書いた行です）。行は消さないでください。後ろの記録がこの行に連鎖しており、持出しの記録はこのまま続きます。監査記録に残し、以後は hakobu ledger verify が表示するチェックサムを控え、--head で確認してください。
    [torn-tail] 情報システム担当の対応: 今は不要です。次の保存か受領のときに、途切れた行を持出し記録と同じフォルダーの .torn ファイルに移します。
    [missing-newline] 情報システム担当の対応: 今は不要です。次の保存か受領のときに行末を戻します。行末がひとりでに消えることはないので、だれがファイルを編集したか確認してください。
    [torn-kept] 情報システム担当の対応: .torn ファイルを開いて中身（途切れた記録。そのアーカイブは保存されていません）を確認し、控えてから持出し記録のフォルダーの外へ移してください。
    [head-not-found] 情報システム担当の対応: チェックサムを控えたときの持出し記録の複製と比べ、削られた末尾の記録を複製から戻してください。
   *[other] 情報システム担当の対応: 別の場所に保管した複製（バックアップ、月次報告）と比べ、示した記録を複製から戻してください。
}
ledger-kept-head-found = 控えたチェックサムは { $seq } 件目の記録（{ $line } 行目）です。そのあとに { $after } 件の記録が追加されています
error-ledger-head-invalid = { $head } は持出し記録のチェックサムではありません。
hint-ledger-head-invalid = hakobu ledger verify が「最後の記録のチェックサム」として表示した16進数64桁を指定してください。
help-ledger-verify-head = 別の場所に控えた「最後の記録のチェックサム」。その記録があることを確かめ、あとで削られた記録を見つけます
notice-ledger-record-not-written = アーカイブは保存しましたが、持出し記録 { $path } には記録されていません: { $detail }。どのアーカイブをいつ持ち出したか、情報システム担当に伝えてください
notice-ledger-record-not-written-nowhere = アーカイブは保存しましたが、持出し記録には記録されていません（このPCには記録の置き場所がありません）。どのアーカイブをいつ持ち出したか、情報システム担当に伝えてください
ledger-receipt-signed = 、{ $name } の署名あり（{ $fingerprint }）
ledger-receipt-unsigned = 、署名なし（だれでも書ける受領ファイルです）
## windows (#13)
notice-key-file-not-private = 鍵ファイル { $path } は、このパソコンのほかの利用者も読めます。自分だけが読めるようにしてください（Windows: プロパティ →「セキュリティ」でほかの利用者を外します）。
## windows seams (#25): names Windows refuses, wildcards
io-invalid-name = Windows では使えない名前です
hint-invalid-name = 名前を確かめてください。Windows のファイル名やフォルダー名には \ / : * ? " < > | は使えません。
error-wildcard = { $path } の * や ? は使えません（hakobu はワイルドカードを展開しません）
hint-wildcard = ファイルの名前を一つずつ指定するか、ファイルのあるフォルダーを指定してください（USBメモリ全体なら E:\）。
## guided mode (#15)
guided-title = hakobu：何をしますか？（矢印キーで選んで Enter。Ctrl+C で中止します）
guided-menu-send = 送る：ファイルを暗号化してUSBメモリに保存します
guided-menu-receive = 受け取る：アーカイブを展開します
guided-menu-check = 検証する：アーカイブやUSBメモリを検証します
guided-ask-sources = 送るファイルかフォルダーをこの画面にドラッグして、Enter を押してください
guided-ask-archive = 展開するアーカイブ（.age）をこの画面にドラッグして、Enter を押してください
guided-ask-check = 検証するアーカイブ（.age）か、USBメモリのフォルダーを指定してください
guided-pack-summary = 送るもの：{ $files }（フォルダー { $folders } 個）、合計 { $size }
guided-ask-office = 宛先を選んでください（文字を入力すると絞り込めます）
guided-office-default = { $name }（標準）
guided-office-passphrase = パスフレーズで守る（宛先帳にない相手のとき）
guided-no-office = 宛先帳に宛先がなく、パスフレーズも使えません。情報システム担当に連絡してください。
guided-ask-drive = 保存するUSBメモリを選んでください
guided-drive = USBメモリ { $root }（{ $fs }、空き { $free }）
guided-drive-rescan = もう一度探す
guided-drive-folder = 保存先のフォルダーを指定する
guided-no-drive = USBメモリが見つかりません。差し込んでから「もう一度探す」を選んでください。
guided-ask-folder = 保存先のフォルダーを指定してください
guided-cancel = 中止する
guided-confirm = { $who }だけが開けます。{ $place }に保存します。
guided-confirm-passphrase = パスフレーズを知っている人だけが開けます。{ $place }に保存します。
guided-ask-go = 保存しますか？
guided-pack-done = 保存して、書き込み後の確認も済みました。USBメモリを取り外しても大丈夫です。
guided-pack-done-unchecked = 保存しました。USBメモリを取り外しても大丈夫です。
guided-tell-receiver = 受け取る事務所に、アーカイブの名前 { $name } を伝えてください。
guided-tell-passphrase = パスフレーズはUSBメモリと一緒に渡さず、電話で伝えてください。
guided-ask-dest = 展開先のフォルダーを指定してください（新しく作ります。USBメモリの上は選べません）
guided-unpack-done = { $files }を { $dest } に展開しました。すべて検証済みです。
guided-ask-open = フォルダーを開きますか？
guided-ask-verify-mode = どのように検証しますか？
guided-verify-keyless = 鍵なしで検証する（チェックサムファイルとヘッダー）
guided-verify-full = 自分の鍵ですべて検証する（何も書き込みません）
guided-press-enter = Enter キーを押すと画面を閉じます。
guided-cancelled = 中止しました。何も保存していません。
guided-no-terminal = コマンドを指定せずに hakobu を使うには、質問に答える画面（ターミナル）が必要です。コマンドは `hakobu --help` で確かめてください。
guided-generated-passphrase = このアーカイブのために作ったパスフレーズです（書き留めてください。表示は今だけです）：
    { $passphrase }
sendto-receive = hakobu で受け取る
sendto-send = hakobu で送る
sendto-office = hakobu で{ $office }へ送る
sendto-created = ショートカットを作りました：{ $path }
sendto-removed = ショートカットを削除しました：{ $path }
sendto-windows-only = `hakobu setup sendto` は Windows 専用です（ほかのシステムには「送る」メニューがありません）。何も変更していません。
guided-yes = はい
guided-no = いいえ
guided-drive-no-fs = USBメモリ { $root }（空き { $free }）
guided-list-separator = 、
# guided day (#25): what policy requires is asked, a refused choice is asked again, no flags
guided-ask-category = データの種類を選んでください
guided-ask-category-text = データの種類を入力してください
guided-ask-purpose = 持ち出す目的を入力してください
guided-confirm-with-policy = { $who }と、運用ルールで加わる情報システム担当の控えの鍵が開けます。{ $place }に保存します。
guided-confirm-policy-key = 控えの鍵: { $key }（運用ルールで追加）
guided-confirm-audit = 持出し記録に残るファイル名の一覧は、監査用の鍵（{ $names }）で読めます。
guided-drive-too-small = × { $drive }：使えません。空き容量が足りません（必要 { $needed }）
guided-no-drive-usable = 使えるUSBメモリを差し込んでから「もう一度探す」を選んでください。差し込まれているUSBメモリには保存できません（理由は上のとおりです）。
guided-drive-holds-source = × { $drive }：使えません。送るファイルがこのUSBメモリにあります。先にこのパソコンにコピーしてから送ってください
guided-error-generic = 続けられませんでした。
guided-hint-ask-it = 情報システム担当に、この画面（特に code の行）を見せてください。
guided-hint-not-enough-space = 空き容量の大きいUSBメモリを差し込んで、もう一度送ってください。
guided-hint-dest-again = このパソコンのフォルダー（ドキュメントなど）を、もう一度指定してください。
guided-hint-other-key = このアーカイブを開ける鍵ファイルがあれば、次の質問で指定してください。なければ、だれ宛てに作ったかを送った人に確かめてください。
guided-hint-key-again = 鍵ファイルを、もう一度指定してください。
guided-needs-key-file = このアーカイブを開くには鍵ファイルが必要ですが、このパソコンの決まった場所にありません。
guided-needs-passphrase = このアーカイブはパスフレーズで保護されています。
guided-ask-key = 鍵ファイルをこの画面にドラッグして、Enter を押してください
guided-archive-of = アーカイブ { $n }／{ $total }：{ $name }
guided-unpack-all-done = { $failed ->
    [0] { $done } 個のアーカイブをすべて展開しました。
   *[other] { $done } 個のアーカイブを展開しました。{ $failed } 個は展開できませんでした（理由は上のとおりです。そのファイルは一つも展開していません）。
}
guided-unpack-cancelled-rest = 中止しました。展開済みの { $done } 個はそのままです。残りのアーカイブは展開していません。
guided-receipt-left = 受領ファイル { $name } をアーカイブの横に残しました。USBメモリが戻ったら、送った事務所が持出し記録に取り込みます。
guided-pack-done-folder = 保存して、書き込み後の確認も済みました。
guided-pack-done-folder-unchecked = 保存しました。
guided-ask-signing-key = 署名鍵のファイルをこの画面にドラッグして、Enter を押してください
guided-hint-signing-key = 署名鍵のファイル（hakobu で作ったもの）を次の質問で指定してください。持っていないときは情報システム担当に連絡してください。
help-hakobu-paths = コマンドなしで: 送るファイルやフォルダー、または展開するアーカイブ（.age）。順に尋ねながら進めます（hakobu.exe にドラッグしたときに渡されるもの）。何も指定しないと、何をするかを画面で尋ねます
help-hakobu-office = コマンドなしで: 指定したファイルを宛先帳のこの名前に送ります（「送る」メニューの「hakobu で千葉支部へ送る」が渡すもの）。確認の画面は出ます
help-hakobu-category = コマンドなしで: 持出し記録に残すデータの種類（情報システム担当が作ったショートカットが渡すもの）。運用ルールで必要なのに指定がないときは画面で尋ねます
help-setup-about = hakobu を準備します: この Windows の利用者の「送る」メニュー（管理者権限は要りません）、またはパソコン全体の運用ルール（情報システム担当が管理者として）
help-setup-sendto-about = エクスプローラーの「送る」メニューにショートカットを作ります: 「hakobu で受け取る」「hakobu で送る」、--offices があれば宛先帳の名前ごとに「hakobu で（名前）へ送る」
help-setup-sendto-offices = 宛先帳の名前ごとにショートカットを作ります
help-setup-sendto-remove = 代わりに hakobu のショートカットを削除します
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
# age の英語の注意を hakobu の言葉で（#26）
notice-key-file-no-match = 鍵ファイル { $path } では、このアーカイブを開けません（パスフレーズは合っています）。
notice-archive-not-vouched = { $archive } は、だれが作ったアーカイブか確かめられません: { $problem }。送った人に確かめてください。
error-signature-refused = { $archive } を開きませんでした: { $problem }。
error-bad-signing-key = { $path } は署名鍵（OpenSSH 形式の Ed25519）ではありません
hint-signature-required = 運用ルールで、登録された送る人の署名が必要です。送った人に署名鍵で作り直してもらうか、情報システム担当に送る人の登録を頼んでください。
hint-signature-refused = このアーカイブは開かないでください。送った人に送り直してもらい、情報システム担当に知らせてください。
# Who signed, bound to the content and to IT's list of accepted senders (issue #32).
sign-problem-stripped = このアーカイブは作成時に署名されていました（鍵 { $packer }）が、署名ファイルが取り除かれています
sign-problem-not-the-packer = 署名は鍵 { $fingerprint } のもので、作成時に署名した鍵（{ $packer }）ではありません。だれかが署名し直しています
sign-problem-not-accepted-signer = { $signer } の署名ですが、このパソコンでは { $accepted } からのアーカイブだけを受け取ります
sign-problem-not-accepted-unsigned = 署名がありません。このパソコンでは { $accepted } が署名したアーカイブだけを受け取ります
sign-list-separator = 、
notice-signed-after-packing = { $name }（鍵 { $fingerprint }）の署名は、アーカイブの作成後に付けられたものです。署名はこの内容を保証しますが、作った人の証明にはなりません
hint-bad-signing-key = `hakobu keygen --sign` で作ったファイルを指定してください。
verify-signature = 署名
keygen-sign-done = 署名鍵を { $path } に保存しました。次の公開鍵を情報システム担当に渡し、送る人の一覧に登録してもらってください:
pack-signed = 署名しました: { $path }（鍵 { $fingerprint }）
error-signing-key-required = 運用ルールで、すべてのアーカイブに署名が必要です。署名鍵が指定されていません。
hint-signing-key-required = `--sign` で署名鍵を指定してください（署名鍵は `hakobu keygen --sign` で一度だけ作ります）。情報システム担当に設定を頼むこともできます。
help-keygen-sign = 代わりに、送る側の署名鍵（Ed25519、OpenSSH 形式）を作ります。受け取る側の送り主の一覧に登録する公開鍵（ssh-ed25519 …）を表示します
help-pack-sign = この署名鍵（keygen --sign で作ったもの）でアーカイブに署名し、アーカイブの横に 名前.age.sig を書きます。既定: 設定ファイルの [signing] key
guided-keys-default-yes = [y: はい / n: いいえ、Enter: はい]
guided-keys-default-no = [y: はい / n: いいえ、Enter: いいえ]
guided-keys = [y: はい / n: いいえ]
config-problem-sender-no-keys = 送り主「{ $name }」に署名鍵の公開鍵がありません
config-problem-bad-sender-key = 送り主「{ $name }」の { $index } 番目の鍵は SSH の公開鍵（ssh-ed25519 …）ではありません
config-problem-sender-secret-key = 送り主「{ $name }」の { $index } 番目の鍵は秘密鍵です。使っていません。送り主は署名鍵を作り直してください
## the machine policy (issue #30)
help-setup-policy-about = パソコン全体の運用ルールを表示します。どのファイルが使われているか、その理由も表示します。--install FILE（情報システム担当が管理者として実行。インストーラーも実行します）で FILE をパソコン全体の運用ルールにし、管理者だけが変更できるフォルダーに置きます
help-setup-policy-install = FILE を確認し、パソコン全体の運用ルールにします（今のものと置き換えます）
help-setup-policy-remove = パソコン全体の運用ルールのファイルを削除します（hakobu を削除するときインストーラーが実行します）
help-setup-policy-json = 結果を 1 つの JSON で出力します
policy-installed = パソコン全体の運用ルールを { $path } にしました（変更できるのは管理者だけです）。
policy-replaced = パソコン全体の運用ルール { $path } を置き換えました（変更できるのは管理者だけです）。
policy-removed = パソコン全体の運用ルール { $path } を削除しました。
policy-none-to-remove = このパソコンには運用ルールのファイルがありません。何も変更していません。
policy-machine-in-effect = 使われている運用ルール: パソコン全体の運用ルール { $path }。各利用者の設定より優先します。
policy-machine-none = パソコン全体の運用ルールはありません（{ $path } がありません）。各利用者の設定が使われます。
policy-managed = 宛先帳は情報システム担当が管理しています（managed = true）。利用者が登録した名前は使われません。
policy-user-tables-ignored = 運用ルールが優先するため使われない、あなたの設定の項目: { $tables }
policy-user-names-shadowed = 運用ルールにもある宛先帳の名前（運用ルールの鍵を使います）: { $names }
policy-changeable-by-users = 注意: 管理者以外の利用者が運用ルールのファイルかフォルダーを変更できます。管理者として `hakobu setup policy --install FILE` で入れ直してください。
policy-user-file = あなたの設定: { $path }
policy-user-none = あなたの設定: ありません
policy-signature-required = 署名: 受け取るすべてのアーカイブに必要です。
policy-signature-optional = 署名: あれば確認します。必須ではありません。
policy-accept-from = 受け取るのは、次の送る人のアーカイブだけです: { $names }
help-setup-policy-installer_upgrade = --remove と一緒に、インストーラーが渡します: その UpgradeCode。ほかの hakobu のインストールが使っている間は、運用ルールを残します
help-setup-policy-installer_product = --remove と一緒に、インストーラーが渡します: その ProductCode
policy-kept-for-another-install = パソコン全体の運用ルール { $path } は残しました。ほかの hakobu のインストール（更新）が使っています。
