# process.hcl: credentials from a command that prints them in the AWS
# credential_process JSON format, run again at every refresh — any tool that can
# serve the AWS CLI's credential_process can serve brs.
#
#   brs -c examples/hcl/process.hcl validate
#   brs -c examples/hcl/process.hcl credential-process cli-profile
#
# The process source is the built-in plugin brs-plugin-process (go install ./cmd/...),
# found without a plugin block. The command runs with sh -c; what it prints on
# standard output must be only the JSON:
#
#   {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…",
#    "SessionToken": "…", "Expiration": "2026-01-02T15:04:05Z"}
#
# Its standard error goes to the brs log. brs refreshes ahead of Expiration; without
# one the credentials are taken as long-term and fetched once.
#
# Environment:
#   BRS_CREDENTIALS_COMMAND  the command of the "helper" role; default below
#   BRS_HELPER_DIR           its working directory; default /
#   BRS_HELPER_VAULT_TOKEN   a token handed to it as VAULT_TOKEN; default empty

# Any AWS CLI v2 profile (SSO, MFA, a vault…), through the CLI's own export.
role "cli-profile" {
  source = "process"
  region = "eu-west-1"
  config {
    command = "aws configure export-credentials --profile prod --format process"
  }
}

# A helper of your own, with every attribute.
role "helper" {
  source = "process"
  refresh {
    timeout = "2m" # the whole refresh (default 30s): leave the command its timeout
  }
  config {
    # A shell command line: quotes, pipes and $VARIABLES work. env() and file() may
    # not appear in it (every local user can read a command line): pass such values
    # in env below and refer to the variable, as here.
    command = "$HELPER_COMMAND"

    # Kill the command, and everything it started, after this long. Default 1m.
    timeout = "90s"

    # Set in the command's environment, which is otherwise minimal (PATH, HOME,
    # USER, LANG, LC_*, TMPDIR, proxies...: never brs's AWS keys). A secret the
    # command needs goes here, not in command. Sensitive: brs redacts the values
    # from its log, including from what the command prints on stderr.
    env = {
      HELPER_COMMAND = env("BRS_CREDENTIALS_COMMAND", "/usr/local/bin/fetch-aws-credentials --role analytics")
      VAULT_ADDR     = "https://vault.example.com:8200"
      VAULT_TOKEN    = env("BRS_HELPER_VAULT_TOKEN", "") # a secret for the helper
    }

    # Variables of brs's own environment the command gets as they are.
    inherit_env = ["AWS_PROFILE"]

    # The working directory; absolute. Default: that of the program using brs.
    dir = env("BRS_HELPER_DIR", "/")
  }
}
