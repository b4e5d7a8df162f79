role {
  source = "sts"
}
