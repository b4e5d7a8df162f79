plugin "vault" {
  command = "/opt/brs/vault"
  args    = [for a in ["x", "y"] : "--${a}"]
}

role "a" {
  source = "vault"
}
