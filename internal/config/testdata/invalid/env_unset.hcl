role "a" {
  source = "sts"
  region = env("BRS_TEST_UNSET_VARIABLE")
}
