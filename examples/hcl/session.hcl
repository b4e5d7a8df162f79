# session.hcl: one MFA code for every role. The session role gets an STS session
# (GetSessionToken) with an MFA code, signed by an IAM user's long-term key kept in the
# OS keyring; the roles chained on it assume their roles with the session's
# credentials, so the MFA command runs once per session (12h here), not once per role
# or per refresh, and roles whose trust policy requires MFA accept them.
#
#   brs keys add alice            # the IAM user's key, into the keyring (no file)
#   brs -c examples/hcl/session.hcl credential-process admin
#
# AWS caps a role assumed with temporary credentials (role chaining, which this is) at
# 1h: the chained roles refresh every hour from the session, without a new code. A
# role that needs longer sessions signs with the key directly instead (source "sts"
# with keyring = "alice" and its own mfa_serial), at the price of a code per refresh.
#
# Environment:
#   BRS_STS_ENDPOINT  an STS endpoint; unset or empty, brs calls AWS STS.
#   BRS_KEYRING_BACKEND, BRS_KEYRING_PASSPHRASE  see `brs help keys`.

role "mfa" {
  source   = "session"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")
  config {
    keyring           = "alice"
    mfa_serial        = "arn:aws:iam::111122223333:mfa/alice"
    # A literal command: values from env() and file() may not appear in a command
    # line, which every local user can read while it runs. Without mfa_token_command
    # brs asks for the code on the terminal (brs exec, or BRS_AGENT=off: the agent
    # has no terminal).
    mfa_token_command = "ykman oath accounts code --single 'aws alice'"
    duration          = "12h"
  }
}

role "admin" {
  source      = "sts"
  source_role = "mfa"
  region      = "us-east-1"
  endpoint    = env("BRS_STS_ENDPOINT", "")
  config {
    role_arn = "arn:aws:iam::444455556666:role/admin"
    duration = "1h" # the most AWS allows for a chained role
  }
}

role "readonly" {
  source      = "sts"
  source_role = "mfa"
  region      = "us-east-1"
  endpoint    = env("BRS_STS_ENDPOINT", "")
  config {
    role_arn = "arn:aws:iam::555566667777:role/readonly"
  }
}
