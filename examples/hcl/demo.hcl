# The demo role (`make demo`): assume a role at a local MinIO, which the demo starts,
# and keep its credentials fresh.
#
# The sts plugin signs AssumeRole with the default AWS credential chain of its
# process; the demo puts MinIO's root user in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
# MinIO issues credentials for 15 minutes at the least, so the refresh windows below
# are wide: the background refresh comes about 8 seconds (± 2s of jitter) after the first one,
# and you can watch it happen.
role "demo" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = env("BRS_DEMO_ENDPOINT")

  refresh {
    advisory  = "14m52s" # refresh in the background this long before expiry
    mandatory = "14m48s" # inside this window callers would wait for a refresh
  }

  config {
    role_arn     = "arn:aws:iam::123456789012:role/demo" # MinIO accepts any ARN
    session_name = "brs-demo"
    duration     = "15m"
  }
}
