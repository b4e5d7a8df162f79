plugin "vault" {
  command = ""
}

role "a" {
  source = "vault"
}
