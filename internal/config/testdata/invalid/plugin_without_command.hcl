plugin "vault" {
  args = ["--x"]
}

role "a" {
  source = "vault"
}
