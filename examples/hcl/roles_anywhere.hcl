# roles_anywhere.hcl: credentials for a workload outside AWS (a server, a laptop, a CI
# runner) from IAM Roles Anywhere. The workload proves who it is with an X.509
# certificate from a CA the account trusts (a trust anchor); brs signs CreateSession
# with the certificate's private key, as AWS's aws_signing_helper does, and gets the
# credentials of a role the profile allows.
#
#   brs -c examples/hcl/roles_anywhere.hcl validate
#   brs -c examples/hcl/roles_anywhere.hcl credential-process workload
#
# The roles_anywhere source is the built-in plugin brs-plugin-roles_anywhere
# (go install ./cmd/...), found without a plugin block. The files are read at every
# refresh, so a renewed certificate is used from the next refresh on; brs validate
# reads none of them.
#
# Environment:
#   BRS_RA_DIR       where the certificates and keys are (default /etc/brs/pki)
#   BRS_RA_ENDPOINT  a Roles Anywhere endpoint for tests; "" for the trust anchor's
#                    region, https://rolesanywhere.us-east-1.amazonaws.com

role "workload" {
  source   = "roles_anywhere"
  region   = "eu-west-1" # for AWSConfig; CreateSession goes to the trust anchor's region
  endpoint = env("BRS_RA_ENDPOINT", "")

  config {
    # Required: the end-entity certificate, PEM, and its private key (RSA or EC;
    # PKCS #1, SEC 1 or PKCS #8). Absolute paths.
    certificate = "${env("BRS_RA_DIR", "/etc/brs/pki")}/workload.pem"
    private_key = "${env("BRS_RA_DIR", "/etc/brs/pki")}/workload.key"

    # The intermediate CA certificates between the certificate and the trust anchor,
    # sent with it (X-Amz-X509-Chain). Leave it out when the anchor issued the
    # certificate directly, or when they follow the certificate in its own file.
    certificate_chain = "${env("BRS_RA_DIR", "/etc/brs/pki")}/intermediates.pem"

    # Required: aws rolesanywhere list-trust-anchors / list-profiles, and a role the
    # profile lists whose trust policy trusts rolesanywhere.amazonaws.com.
    trust_anchor_arn = "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0fd4a1a4-6c3e-4f2b-9c6e-0123456789ab"
    profile_arn      = "arn:aws:rolesanywhere:us-east-1:111122223333:profile/a6294488-81c4-4b6c-8e0a-fedcba987654"
    role_arn         = "arn:aws:iam::111122223333:role/brs-roles-anywhere"

    # 15m to 12h; default 1h. The profile's own duration caps it.
    duration = "2h"
  }
}

# A laptop's key, encrypted (openssl pkcs8 -topk8 -v2 aes-256-cbc): the passphrase
# comes from a password manager at each refresh, never from this file or argv.
role "laptop" {
  source   = "roles_anywhere"
  endpoint = env("BRS_RA_ENDPOINT", "")

  config {
    certificate        = "${env("BRS_RA_DIR", "/etc/brs/pki")}/laptop.pem"
    private_key        = "${env("BRS_RA_DIR", "/etc/brs/pki")}/laptop.enc.key"
    passphrase_command = "pass show pki/laptop-key"
    trust_anchor_arn   = "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0fd4a1a4-6c3e-4f2b-9c6e-0123456789ab"
    profile_arn        = "arn:aws:rolesanywhere:us-east-1:111122223333:profile/a6294488-81c4-4b6c-8e0a-fedcba987654"
    role_arn           = "arn:aws:iam::111122223333:role/brs-roles-anywhere"

    # The role session name shown in CloudTrail; the profile must accept one
    # (acceptRoleSessionName).
    session_name = "alice-laptop"
  }
}
