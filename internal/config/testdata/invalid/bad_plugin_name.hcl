plugin "my plugin" {
  command = "/bin/true"
}

role "a" {
  source = "sts"
}
