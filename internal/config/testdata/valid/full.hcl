# Every block and attribute brs knows, as the DESIGN describes them.

plugin "vault" {
  command = "./plugins/brs-plugin-vault"
  args    = ["--log-level", "warn"]
  sha256  = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
}

plugin "sso" {
  command = "brs-plugin-sso"
}

plugin "process" {
  command = "/opt/brs/brs-plugin-process"
  args    = []
}

role "base" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "http://127.0.0.1:9000"
  refresh {
    advisory  = "5m"
    mandatory = "1m"
    timeout   = "3m"
  }
  config {
    role_arn     = "arn:aws:iam::111122223333:role/analytics"
    session_name = "nightly-etl"
    duration     = "1h"
  }
}

role "prod-admin" {
  source      = "sts"
  source_role = "base"
  config {
    role_arn          = "arn:aws:iam::444455556666:role/admin"
    mfa_serial        = "arn:aws:iam::111122223333:mfa/alice"
    mfa_token_command = "otp-cli show aws"
  }
}

role "chained.2_x" {
  source      = "vault"
  source_role = "prod-admin"
  refresh {
    advisory = "90s"
  }
}
