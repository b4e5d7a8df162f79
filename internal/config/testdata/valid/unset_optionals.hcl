# Optional strings set to "" or null count as not set.
role "a" {
  source      = "sts"
  region      = ""
  endpoint    = null
  source_role = ""
  refresh {
    mandatory = ""
  }
}
