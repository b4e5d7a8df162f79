role "base" {
  source = "sts"
}

role "admin" {
  source      = "sts"
  source_role = "bsae"
}
