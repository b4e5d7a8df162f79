role "x" {
  source      = "sts"
  source_role = "a"
}

role "a" {
  source      = "sts"
  source_role = "b"
}

role "b" {
  source      = "sts"
  source_role = "a"
}
