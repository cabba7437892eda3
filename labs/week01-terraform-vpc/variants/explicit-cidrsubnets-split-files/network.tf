resource "aws_vpc" "main" {
  cidr_block           = local.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.common_tags, { Name = "shop-vpc" })
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = local.subnet_cidrs[0]
  availability_zone       = "ap-northeast-2a"
  map_public_ip_on_launch = true

  tags = merge(local.common_tags, { Name = "shop-public-a" })
}

resource "aws_subnet" "public_c" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = local.subnet_cidrs[1]
  availability_zone       = "ap-northeast-2c"
  map_public_ip_on_launch = true

  tags = merge(local.common_tags, { Name = "shop-public-c" })
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.subnet_cidrs[2]
  availability_zone = "ap-northeast-2a"

  tags = merge(local.common_tags, { Name = "shop-private-a" })
}

resource "aws_subnet" "private_c" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.subnet_cidrs[3]
  availability_zone = "ap-northeast-2c"

  tags = merge(local.common_tags, { Name = "shop-private-c" })
}

resource "aws_internet_gateway" "gw" {
  tags = merge(local.common_tags, { Name = "shop-igw" })
}

resource "aws_internet_gateway_attachment" "gw" {
  internet_gateway_id = aws_internet_gateway.gw.id
  vpc_id              = aws_vpc.main.id
}

resource "aws_eip" "nat" {
  domain = "vpc"

  tags = merge(local.common_tags, { Name = "shop-nat-eip" })
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.allocation_id
  subnet_id     = aws_subnet.public_a.id

  tags = merge(local.common_tags, { Name = "shop-nat" })

  depends_on = [aws_internet_gateway_attachment.gw]
}
