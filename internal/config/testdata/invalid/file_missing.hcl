role "a" {
  source = "sts"
  region = file("no-such-file.txt")
}
