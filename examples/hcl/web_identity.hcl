# web_identity.hcl: roles assumed with STS AssumeRoleWithWebIdentity, in exchange for
# an OpenID Connect token — a Kubernetes service account token (EKS IAM roles for
# service accounts), a CI job's ID token. No AWS credentials are needed to start
# with: the token is the identity.
#
#   brs -c examples/hcl/web_identity.hcl validate
#   brs -c examples/hcl/web_identity.hcl credential-process pods
#
# The web_identity source is the built-in plugin brs-plugin-web_identity
# (go install ./cmd/...), found without a plugin block. The token is read again at
# every refresh: the kubelet rotates a projected token in place, and brs always sends
# the current one. It is a secret, never logged nor shown in an error.
#
# Environment (EKS sets the first two in every pod of an annotated service account):
#   AWS_ROLE_ARN                 the role to assume; default: the placeholder below
#   AWS_WEB_IDENTITY_TOKEN_FILE  the projected token; default: EKS's path
#   BRS_STS_ENDPOINT             an STS-compatible endpoint, e.g. a local MinIO;
#                                unset or empty, brs calls AWS STS

role "pods" {
  source   = "web_identity"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")

  config {
    # Required: the role to assume. Its trust policy must trust the cluster's OIDC
    # provider for this service account.
    role_arn = env("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/pods")

    # The token: a file (read at every refresh) or a command (see "ci" below).
    token_file = env("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")

    # Shown in CloudTrail; 2-64 of [A-Za-z0-9_+=,.@-]. Default: "brs-" + the role name.
    session_name = "orders-worker"

    # Lifetime of each set of credentials, 15m to 12h (the role's MaxSessionDuration
    # permitting). Default 1h.
    duration = "1h"

    # An inline session policy: the session may do only what both the role's
    # policies and this one allow.
    policy = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [
          {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetObject"], "Resource": "*"}
        ]
      }
    EOT

    # Managed policies used as session policies, with the same effect as policy.
    policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  }
}

# A CI job's ID token, fetched by a command at every refresh (here GitHub Actions'
# OIDC endpoint; the job needs `permissions: id-token: write`). The command runs with
# sh -c and must print only the token on standard output; its standard error goes to
# the brs log. It may run for a minute before it is killed.
role "ci" {
  source   = "web_identity"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")

  config {
    role_arn      = "arn:aws:iam::111122223333:role/deploy"
    token_command = "curl -sSf -H \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com\" | jq -r .value"
    duration      = "15m"
  }
}
