# saml.hcl: roles assumed with STS AssumeRoleWithSAML, in exchange for a SAML
# assertion from your identity provider (Okta, Entra ID, ADFS, Keycloak, ...). No AWS
# credentials are needed to start with: the signed assertion is the identity.
#
#   brs -c examples/hcl/saml.hcl validate
#   brs -c examples/hcl/saml.hcl credential-process dev
#
# saml_command is any program that signs you in at the identity provider and prints
# the base64 SAMLResponse it posts to AWS (a browser helper, your IdP's CLI, a
# script). It runs again at every refresh: an assertion is valid for minutes only.
# The assertion is a secret: brs never logs it nor shows it in an error, and removes
# it from the command's standard error. brs reads the assertion's Role attribute to
# pick the role; STS checks its signature, audience and time window.
#
# Environment:
#   BRS_STS_ENDPOINT  an STS endpoint; unset or empty, brs calls AWS STS.

role "dev" {
  source   = "saml"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")

  config {
    # A literal command: values from env() and file() may not appear in a command
    # line, which every local user can read while it runs. Secrets go in env.
    saml_command = "idp-login --app amazon_aws --print-saml-response"
    env          = { IDP_USER = "alice@example.com" }

    # The assertion offers several roles: role_arn picks one. Leave it out when it
    # offers one role only.
    role_arn = "arn:aws:iam::111122223333:role/dev"

    # 15m to 12h, within the role's MaxSessionDuration and the assertion's
    # SessionDuration. Default 1h.
    duration = "1h"

    # A sign-in that may wait for you (a push notification, a browser) needs time:
    # raise both the command's timeout (default 1m) and the refresh's (default 30s).
    timeout = "2m"
  }
  refresh {
    timeout = "3m"
  }
}

# The same role through another SAML provider (a second IdP trusted by the same
# role): principal_arn chooses between the pairs the assertion offers.
role "admin" {
  source   = "saml"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")

  config {
    saml_command  = "idp-login --app amazon_aws --print-saml-response"
    role_arn      = "arn:aws:iam::111122223333:role/admin"
    principal_arn = "arn:aws:iam::111122223333:saml-provider/entra"
    duration      = "15m"
    policy_arns   = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  }
}
