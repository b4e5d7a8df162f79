role "a" {
  source = "sts"
  region = env("BRS_TEST_UNSET_VARIABLE", "us-east-1", "eu-west-1")
}
