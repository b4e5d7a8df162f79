plugin "custom" {
  command = env("BRS_TEST_PLUGIN", "./bin/brs-plugin-custom")
  sha256  = file("custom.sha256")
}

role "a" {
  source   = "custom"
  region   = env("BRS_TEST_REGION")
  endpoint = "https://${env("BRS_TEST_HOST")}:8443/sts"
  refresh {
    advisory = env("BRS_TEST_ADVISORY", "10m")
  }
  config {
    token = file(env("BRS_TEST_TOKEN_FILE"))
  }
}
