# Week 1 lab: the shop's VPC in Terraform (AWS provider 6.x): its load balancer goes in the public subnets, its app
# servers and database in the private ones.
# 1주차 실습: 쇼핑몰의 VPC를 Terraform으로 만들기 (AWS 프로바이더 6.x). 로드 밸런서는 공개 서브넷에, 앱 서버와
# 데이터베이스는 사설 서브넷에 둡니다.
#
# Fill in the TODOs. You may split the code into variables.tf and outputs.tf; every .tf file you submit is read.
# TODO를 채우세요. variables.tf, outputs.tf로 나눠도 됩니다. 제출한 모든 .tf 파일을 읽습니다.

terraform {
  # TODO: pin the AWS provider in required_providers (source and a version constraint).
  # TODO: required_providers에 AWS 프로바이더를 고정하세요 (source와 버전 제약).
}

provider "aws" {
  region = "ap-northeast-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"

  # TODO: DNS settings / DNS 설정

  tags = {
    Name = "shop-vpc"
  }
}

# TODO: two public and two private subnets in two availability zones, each cidr_block computed with cidrsubnet().
# TODO: 두 가용 영역에 공개 서브넷 2개와 사설 서브넷 2개. cidr_block은 cidrsubnet()으로 계산합니다.

# TODO: an internet gateway, a public route table with a default route, and its associations.
# TODO: 인터넷 게이트웨이, 기본 경로가 있는 공개 라우팅 테이블, 그리고 연결.

# TODO: an Elastic IP and a NAT gateway in a public subnet, a private route table, and its associations.
# TODO: Elastic IP와 공개 서브넷의 NAT 게이트웨이, 사설 라우팅 테이블, 그리고 연결.
