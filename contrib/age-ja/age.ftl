# Copyright 2020 Jack Grigg
#
# Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or
# http://www.apache.org/licenses/LICENSE-2.0> or the MIT license
# <LICENSE-MIT or http://opensource.org/licenses/MIT>, at your
# option. This file may not be copied, modified, or distributed
# except according to those terms.

### Localization for strings in the age library crate (Japanese)
### 訳語: identity = 秘密鍵、recipient = 受信者、passphrase = パスフレーズ、
### plugin = プラグイン、header = ヘッダー

## Terms (not to be localized)

-age = age
-rage = rage

-scrypt-recipient = scrypt::Recipient

-openssh = OpenSSH
-ssh-keygen = ssh-keygen
-ssh-rsa = ssh-rsa
-ssh-ed25519 = ssh-ed25519
-fido-u2f = FIDO/U2F
-yubikeys = YubiKey
-piv = PIV

## CLI helpers

cli-secret-input-required = 入力してください
cli-secret-input-mismatch = 入力が一致しません

cli-passphrase-desc = パスフレーズを入力してください（空のままにすると安全なパスフレーズを自動で作ります）
cli-passphrase-prompt = パスフレーズ
cli-passphrase-confirm = パスフレーズ（確認）

-flag-armor = -a/--armor
-flag-output = -o/--output
-output-stdout = -o -

cli-truncated-tty = 途中までしか表示していません。ファイル全体を復号するには、パイプかリダイレクト、または {-flag-output} を使ってください

err-detected-binary = 表示できないデータがあるため、端末には出力しません。
rec-detected-binary = 出力するには '{-output-stdout}' を指定してください。

err-deny-binary-output = バイナリデータは端末に出力しません。
rec-deny-binary-output = {-flag-armor} を使うつもりでしたか? {rec-detected-binary}

err-deny-overwrite-file = 既にあるファイル '{$filename}' は上書きしません。

err-invalid-filename = ファイル名 '{$filename}' は使えません。

err-missing-directory = ディレクトリ '{$path}' がありません。

## Identity file errors

err-failed-to-write-output = 出力に書き込めませんでした: {$err}

err-identity-file-contains-plugin = 秘密鍵ファイル '{$filename}' には '{-age-plugin-}{$plugin_name}' 用の秘密鍵が入っています。
rec-identity-file-contains-plugin = '{-age-plugin-}{$plugin_name}' を使って、この秘密鍵を受信者に変換してください。

err-no-identities-in-file = ファイル '{$filename}' に秘密鍵がありません。
err-no-identities-in-stdin = 標準入力に秘密鍵がありません。

## Errors

err-decryption-failed = 復号できませんでした

err-excessive-work = パスフレーズの作業量パラメーターが大きすぎます。
rec-excessive-work = 復号にはおよそ {$duration} 秒かかります。

err-header-invalid = ヘッダーが正しくありません

err-header-mac-invalid = ヘッダーの MAC が正しくありません

err-incompatible-recipients-oneway = ラベル '{$labels}' を持つ受信者と、ラベルのない受信者には同時に暗号化できません
err-incompatible-recipients-twoway = ラベル '{$left}' を持つ受信者と、ラベル '{$right}' を持つ受信者には同時に暗号化できません

err-invalid-recipient-labels = 最初の受信者が、正しくないラベルを必要としています: '{$labels}'

err-key-decryption = 暗号化された鍵を復号できませんでした

err-missing-recipients = 受信者がありません。

err-mixed-recipient-passphrase = {-scrypt-recipient} はほかの受信者と一緒には使えません。

err-no-matching-keys = 一致する鍵がありません

err-unknown-format = {-age} の形式が不明です。
rec-unknown-format = 最新版に更新してみてください。

err-invalid-plugin-name = プラグイン名 '{$name}' は正しくありません。

err-missing-plugin = '{$plugin_name}' が PATH にありません。
rec-missing-plugin = プラグインをインストールしてください。

err-plugin-identity = '{$plugin_name}' が秘密鍵を使えませんでした: {$message}
err-plugin-recipient = '{$plugin_name}' が受信者 {$recipient} を使えませんでした: {$message}

err-plugin-died = '{$plugin_name}' が予期せず終了しました。
rec-plugin-died-1 = プラグインを開発しているときは、{$env_var} を設定して実行すると詳しい情報が出ます。
rec-plugin-died-2 = 注意: この設定では、暗号の秘密鍵の情報が標準エラー出力に出ます。

err-plugin-multiple = プラグインが複数のエラーを返しました:

err-read-identity-encrypted-without-passphrase =
    秘密鍵ファイル '{$filename}' は {-age} で暗号化されていますが、パスフレーズによる暗号化ではありません。
err-read-identity-not-found = 秘密鍵ファイルがありません: {$filename}

err-read-invalid-recipient = 受信者 '{$recipient}' は正しくありません。

err-read-invalid-recipients-file =
    受信者ファイル '{$filename}' の {$line_number} 行目に、受信者ではないデータがあります。

err-read-missing-recipients-file = 受信者ファイルがありません: {$filename}

err-read-multiple-stdin = 標準入力は一度に一つの用途にしか使えません。

err-read-rsa-modulus-too-large =
    RSA の鍵長が大きすぎます
    ------------------------
    {-openssh} はさまざまな RSA の鍵長に対応していますが、{-rage} が使える公開鍵は
    {$max_size} ビットまでです。信頼できない公開鍵に暗号化するときに、
    サービス拒否（DoS）を起こさないためです。

err-read-rsa-modulus-too-small = RSA の鍵長が小さすぎます。

err-stream-last-chunk-empty = STREAM の最後のチャンクが空です。この問題を報告するか、古い {-rage} を試してください。

## Encrypted identities

encrypted-passphrase-prompt = 暗号化された秘密鍵 '{$filename}' のパスフレーズを入力してください

encrypted-warn-no-match = 注意: 暗号化された秘密鍵ファイル '{$filename}' は、このファイルの受信者と一致しません

## Plugin identities

plugin-waiting-on-binary = {$binary_name} を待っています...

## SSH identities

ssh-passphrase-prompt = {-openssh} の鍵 '{$filename}' のパスフレーズを入力してください

ssh-unsupported-key = 対応していない SSH 鍵です: {$name}

ssh-insecure-key-format =
    安全でない暗号化鍵の形式
    ------------------------
    {-openssh} 7.8 より前では、DSA、ECDSA、RSA の鍵を作るときにパスワードを設定すると、
    {-ssh-keygen} は暗号化 PEM 形式で鍵を暗号化していました。この形式は安全ではないため、
    使うべきではありません。

    次のコマンドでパスフレーズを変更すると、鍵を暗号化 SSH 秘密鍵形式
    （{-openssh} 6.5、2014年1月から対応）に移行できます。

    {"    "}{$change_passphrase}

    {-openssh} 6.5 から 7.7 まで（Ubuntu 18.04 LTS の標準の {-openssh} など）を
    使っているときは、次のコマンドで新しい形式の鍵を作れます。

    {"    "}{$gen_new}

ssh-unsupported-cipher =
    暗号化 SSH 鍵の暗号方式に対応していません
    ----------------------------------------
    {-openssh} は暗号化鍵のために複数の暗号方式に対応していますが、実際に作るのは
    そのうちの一部だけです。{-rage} は {-ssh-keygen} が作りうるすべての暗号方式に対応し、
    標準以外の暗号方式には個別に対応を進めています。この鍵は、現在対応していない
    暗号方式（{$cipher}）を使っています。

    この鍵の種類への対応を希望するときは、こちらで issue を作ってください:

    {$new_issue}

ssh-unsupported-key-type =
    対応していない SSH 鍵の種類
    --------------------------
    {-openssh} はさまざまな種類の鍵に対応していますが、{-rage} は互換性のため、
    そのうち '{-ssh-rsa}' と '{-ssh-ed25519}' の鍵だけに対応しています。
    この SSH 鍵は、対応していない種類 '{$key_type}' です。

ssh-unsupported-security-key =
    対応していない SSH ハードウェア認証器
    ------------------------------------
    {-openssh} 8.2p1 で、{-yubikeys} などのハードウェアセキュリティキーを含む
    {-fido-u2f} ハードウェア認証器に対応しました。これらの SSH 鍵の種類はプロトコルが
    暗号化に対応していないため、{-rage} では使えません。
    この SSH 鍵は、使えない種類 '{$key_type}' です。

    対応するハードウェアセキュリティキーをお持ちのときは、次のプラグインを使ってください:

    {$age_plugin_yubikey_url}

    {-openssh} とこのプラグインの両方で使うハードウェアセキュリティキーは、プラグインが
    {-piv} プロトコルを使うため、SSH の公開鍵と {-age} の受信者が別々になります。
