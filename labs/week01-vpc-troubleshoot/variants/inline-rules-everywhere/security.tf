# The shop's chain of security groups, every rule inline in its group (one style for every group: never mixed with
# separate rule resources, which would overwrite each other).

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Load balancer: HTTPS from the internet"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from anywhere"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTP from anywhere, redirected to HTTPS"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  # Inline rules cannot name the app's group here (the app's group names this one: a cycle), so the load balancer
  # reaches 8080 in the private subnets by their ranges.
  egress {
    description = "To the app servers in the private subnets"
    protocol    = "tcp"
    from_port   = 8080
    to_port     = 8080
    cidr_blocks = aws_subnet.private[*].cidr_block
  }

  tags = {
    Name = "${var.name}-alb"
  }
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "App servers: 8080 from the load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "shop on 8080 from the load balancer"
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [aws_security_group.alb.id]
  }

  # The database's group names this one, so the way back is by range as well.
  egress {
    description = "MySQL in the private subnets"
    protocol    = "tcp"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = aws_subnet.private[*].cidr_block
  }

  egress {
    description = "HTTPS to payment APIs and registries"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name}-app"
  }
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "MySQL: 3306 from the app servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "MySQL from the app servers"
    protocol        = "tcp"
    from_port       = 3306
    to_port         = 3306
    security_groups = [aws_security_group.app.id]
  }

  tags = {
    Name = "${var.name}-db"
  }
}

