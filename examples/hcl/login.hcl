# login.hcl: roles whose credentials come from an `aws login` session (AWS CLI 2.32 or
# later: sign in with your console credentials in the browser, no access keys on
# disk). The AWS CLI keeps the session in ~/.aws/login/cache; brs serves its
# credentials and refreshes them every 15 minutes with the sign-in service, as the AWS
# SDKs do, for as long as the session lasts. Every attribute of the login source's
# config block is shown.
#
#   aws login --profile dev      # once per session; brs refreshes after that
#   brs -c examples/hcl/login.hcl credential-process dev
#
# `aws login` wrote the profile it signed in into ~/.aws/config; login_session below
# is its value (brs import writes this file for you):
#
#   [profile dev]
#   login_session = arn:aws:iam::111122223333:user/alice
#   region = eu-west-1
#
# The login source is the built-in plugin brs-plugin-login (go install ./cmd/...),
# found without a plugin block.
#
# Environment:
#   BRS_SIGNIN_ENDPOINT  a sign-in endpoint (e.g. a local test double); unset or
#                        empty, brs calls https://REGION.signin.aws.amazon.com
#   BRS_STS_ENDPOINT     an STS endpoint for the chained role; unset or empty, AWS's

role "dev" {
  source   = "login"
  region   = "eu-west-1"                    # the profile's region: the session's sign-in region
  endpoint = env("BRS_SIGNIN_ENDPOINT", "") # replaces the sign-in service's endpoint

  config {
    # Required: the profile's login_session, the ARN of the identity you signed in as.
    login_session = "arn:aws:iam::111122223333:user/alice"

    # Where the login cache is; this is the default, the AWS CLI's (which
    # AWS_LOGIN_CACHE_DIRECTORY moves, for brs as for the AWS CLI).
    cache_dir = "~/.aws/login/cache"
  }
}

# A role assumed with the session's credentials: the browser sign-in is the only
# credential, and every role chained on it refreshes from it.
role "admin" {
  source      = "sts"
  source_role = "dev"
  endpoint    = env("BRS_STS_ENDPOINT", "")

  config {
    role_arn = "arn:aws:iam::444455556666:role/admin"
  }
}
