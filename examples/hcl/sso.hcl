# sso.hcl: roles whose credentials come from IAM Identity Center (AWS SSO), with the
# token that `aws sso login` keeps in ~/.aws/sso/cache. Every attribute of the sso
# source's config block is shown.
#
#   aws sso login --sso-session my-sso          # once; brs renews the token after that
#   brs -c examples/hcl/sso.hcl credential-process dev
#
# ~/.aws/config must describe the same SSO session, for `aws sso login`:
#
#   [sso-session my-sso]
#   sso_start_url = https://d-1234567890.awsapps.com/start
#   sso_region = eu-west-1
#   sso_registration_scopes = sso:account:access
#
# The sso source is the built-in plugin brs-plugin-sso (go install ./cmd/...), found
# without a plugin block.
#
# Environment:
#   BRS_SSO_PORTAL_ENDPOINT  a portal endpoint (e.g. a local test double); unset or
#                            empty, brs calls https://portal.sso.REGION.amazonaws.com
#   BRS_SSO_OIDC_ENDPOINT    an SSO-OIDC endpoint likewise; unset or empty, brs calls
#                            https://oidc.REGION.amazonaws.com

role "dev" {
  source   = "sso"
  region   = "us-east-1"                        # the region your programs use; not the SSO one
  endpoint = env("BRS_SSO_PORTAL_ENDPOINT", "") # replaces the portal's endpoint

  config {
    # The sso-session whose cached token is used and renewed, and its start URL
    # (checked against the one the token was issued for).
    sso_session   = "my-sso"
    sso_start_url = "https://d-1234567890.awsapps.com/start"

    # Required: where the IAM Identity Center instance lives, and the role to get.
    sso_region = "eu-west-1"
    account_id = "111122223333" # quoted: an account ID may start with 0
    role_name  = "ReadOnly"     # the permission set assigned to you in that account

    # Where the token cache is; this is the default, the AWS CLI's.
    cache_dir = "~/.aws/sso/cache"

    # Replaces the SSO-OIDC endpoint that renews the token; "" leaves it to the SDK.
    oidc_endpoint = env("BRS_SSO_OIDC_ENDPOINT", "")
  }
}

# The legacy form, for a profile with sso_start_url and no sso_session, logged in with
# `aws sso login --profile NAME`. Its token cannot be renewed: log in again when it
# expires (brs says so, naming the command). Prefer the sso_session form.
role "legacy" {
  source   = "sso"
  endpoint = env("BRS_SSO_PORTAL_ENDPOINT", "")

  config {
    start_url  = "https://d-1234567890.awsapps.com/start"
    sso_region = "eu-west-1"
    account_id = "444455556666"
    role_name  = "Billing"
  }
}
