# sts.hcl: roles assumed with STS AssumeRole, showing every attribute of a role block
# and of the sts source's config block.
#
#   brs -c examples/hcl/sts.hcl validate
#   brs -c examples/hcl/sts.hcl credential-process analytics
#
# The sts source is the built-in plugin brs-plugin-sts (go install ./cmd/...), found
# without a plugin block. It signs AssumeRole with the default AWS credential chain of
# the process that runs brs: AWS_ACCESS_KEY_ID and friends, ~/.aws/config and
# ~/.aws/credentials, SSO, an instance or container role.
#
# Environment:
#   BRS_STS_ENDPOINT  an STS-compatible endpoint, e.g. a local MinIO at
#                     http://127.0.0.1:9000; unset or empty, brs calls AWS STS
#   BRS_ROLE_ARN      the role to assume; defaults to the placeholder below
#   ETL_EXTERNAL_ID   the external ID the role's trust policy asks for, if any

role "analytics" {
  source = "sts"                         # the plugin that provides the credentials
  region = "us-east-1"                   # where STS is called; default: the AWS config's
  endpoint = env("BRS_STS_ENDPOINT", "") # "" leaves the endpoint to the SDK

  refresh {
    advisory  = "10m" # refresh in the background this long before expiry (default 5m)
    mandatory = "2m"  # inside this window callers wait for the refresh (default 1m)
  }

  config {
    # Required: the role to assume.
    role_arn = env("BRS_ROLE_ARN", "arn:aws:iam::111122223333:role/analytics")

    # Shown in CloudTrail; 2-64 of [A-Za-z0-9_+=,.@-]. Default: "brs-" + the role name.
    session_name = "nightly-etl"

    # Lifetime of each set of credentials, 15m to 12h (the role's MaxSessionDuration
    # permitting; 1h at most for chained roles). Default 1h.
    duration = "1h"

    # The external ID the role's trust policy requires; "" sends none.
    external_id = env("ETL_EXTERNAL_ID", "")

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

    # Session tags, for attribute-based access control.
    tags = {
      team          = "data"
      "cost-center" = "4711"
    }

    # Tags that stay on the session when it assumes further roles (source_role).
    transitive_tag_keys = ["team"]

    # Recorded in CloudTrail with every action of the session and of chained ones.
    source_identity = "etl-pipeline"
  }
}

# A role whose trust policy requires MFA. brs runs mfa_token_command (with sh -c) at
# every refresh and reads the last 6-digit code it prints; as brs may run without a
# terminal (credential_process, a daemon), the command must not prompt.
role "admin" {
  source = "sts"
  region = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")

  config {
    role_arn          = env("BRS_ADMIN_ROLE_ARN", "arn:aws:iam::111122223333:role/admin")
    duration          = "15m"
    mfa_serial        = "arn:aws:iam::111122223333:mfa/alice"
    mfa_token_command = "oathtool --totp --base32 \"$(cat ~/.config/brs/mfa-seed)\""
  }
}

# A role signed by the long-term keys of an AWS profile (here [jump] in
# ~/.aws/credentials) rather than by the default chain: the keys stay in the AWS files,
# and AWS_PROFILE, or keys in the environment, do not change which ones sign. This is
# what brs import writes for a profile with source_profile = jump.
role "deploy" {
  source = "sts"
  region = "us-east-1"

  config {
    role_arn = "arn:aws:iam::111122223333:role/deploy"
    profile  = "jump" # not with source_role
  }
}
