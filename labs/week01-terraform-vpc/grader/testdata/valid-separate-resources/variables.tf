variable "region" {
  type    = string
  default = "ap-northeast-2"
}
