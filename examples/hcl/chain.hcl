# chain.hcl: role chaining. A role with source_role assumes its role with the
# credentials of another role instead of the default AWS credential chain, exactly
# like the AWS CLI's source_profile. brs refreshes each link ahead of its expiry and
# refuses cycles at load time.
#
#   brs -c examples/hcl/chain.hcl validate
#   brs -c examples/hcl/chain.hcl credential-process deploy
#
# base is assumed with the default AWS credential chain of the process that runs brs;
# prod-admin with base's credentials; deploy with prod-admin's.
#
# Environment:
#   BRS_STS_ENDPOINT  an STS-compatible endpoint; unset or empty, brs calls AWS STS.
#                     (MinIO does not accept AssumeRole signed with temporary
#                     credentials, so only base works against it.)

role "base" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = env("BRS_STS_ENDPOINT", "")
  config {
    role_arn = "arn:aws:iam::111122223333:role/jump"
    duration = "1h"
    tags = {
      project = "chain-example"
    }
    # Keep the project tag on every session assumed from this one.
    transitive_tag_keys = ["project"]
  }
}

role "prod-admin" {
  source      = "sts"
  source_role = "base" # base's credentials sign this AssumeRole
  region      = "us-east-1"
  endpoint    = env("BRS_STS_ENDPOINT", "")
  config {
    role_arn     = "arn:aws:iam::444455556666:role/admin"
    session_name = "chained-admin"
    duration     = "1h" # AWS allows at most 1h for a chained role
  }
}

role "deploy" {
  source      = "sts"
  source_role = "prod-admin" # chains go on: base -> prod-admin -> deploy
  region      = "us-east-1"
  endpoint    = env("BRS_STS_ENDPOINT", "")
  refresh {
    advisory = "10m"
  }
  config {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
    duration = "30m"
  }
}
