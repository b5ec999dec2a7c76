# WellTrack on AWS: the DynamoDB tables (tables.tf.json, generated from the models), the file
# bucket, and a least-privilege IAM policy for the application's instances.
#
#   terraform init
#   terraform apply -var environment=prod -var table_prefix=prod- -var bucket_name=acme-welltrack-files \
#                   -var app_origin=https://welltrack.example.com

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.40" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type        = string
  description = "prod, staging, …"
}

variable "table_prefix" {
  type        = string
  description = "WELLTRACK_TABLE_PREFIX of the app, e.g. prod-"
}

variable "bucket_name" {
  type        = string
  description = "AWS_STORAGE_BUCKET_NAME of the app"
}

variable "app_origin" {
  type        = string
  description = "https origin of the app; browsers upload files straight to the bucket from it"
}

variable "kms_key_arn" {
  type        = string
  default     = null
  description = "customer-managed KMS key for the tables; null: the AWS-managed key"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "deleted_file_retention_days" {
  type        = number
  default     = 30
  description = "how long a deleted or replaced file stays recoverable as a noncurrent object version"
}

# --- file bucket: private, encrypted, no ACLs --------------------------------------------
resource "aws_s3_bucket" "files" {
  bucket = var.bucket_name
  tags   = { Application = "WellTrack", Environment = var.environment }
}

resource "aws_s3_bucket_public_access_block" "files" {
  bucket                  = aws_s3_bucket.files.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "files" {
  bucket = aws_s3_bucket.files.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs off
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files" {
  bucket = aws_s3_bucket.files.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "files" {
  bucket = aws_s3_bucket.files.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Deleting a file (or a well) in WellTrack leaves the object as a noncurrent version: it can be
# restored for a while, then S3 removes it, so deleted files do not accumulate for ever.
resource "aws_s3_bucket_lifecycle_configuration" "files" {
  bucket     = aws_s3_bucket.files.id
  depends_on = [aws_s3_bucket_versioning.files]
  rule {
    id     = "expire-deleted-files"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.deleted_file_retention_days
    }
    expiration {
      expired_object_delete_marker = true
    }
  }
}

resource "aws_s3_bucket_cors_configuration" "files" {
  bucket = aws_s3_bucket.files.id
  cors_rule {
    allowed_methods = ["POST"]
    allowed_origins = [var.app_origin]
    allowed_headers = ["*"]
    max_age_seconds = 600
  }
}

resource "aws_s3_bucket_policy" "files_tls_only" {
  bucket = aws_s3_bucket.files.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.files.arn, "${aws_s3_bucket.files.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# --- the application's permissions: its tables and its bucket, nothing else ---------------
data "aws_iam_policy_document" "app" {
  statement {
    sid = "Tables"
    actions = [
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
      "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
    ]
    resources = flatten([
      for arn in local.table_arns : [arn, "${arn}/index/*"]
    ])
  }
  statement {
    sid       = "Files"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.files.arn}/orgs/*"]
  }
  statement {
    sid       = "Bucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn]
  }
  # With a customer-managed key the tables' data keys are wrapped by it, and DynamoDB uses it
  # on the caller's behalf: the app may use that one key, and only through DynamoDB in this
  # region and account. No CreateGrant or key administration: Terraform creates the tables.
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "TablesKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${var.region}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }
}

data "aws_caller_identity" "current" {}

# local.table_arns is defined in tables.tf.json, next to the tables.
resource "aws_iam_policy" "app" {
  name   = "welltrack-${var.environment}-app"
  policy = data.aws_iam_policy_document.app.json
}

output "app_policy_arn" {
  value = aws_iam_policy.app.arn
}
