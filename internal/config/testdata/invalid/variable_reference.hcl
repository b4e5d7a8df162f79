role "a" {
  source = sts
}
