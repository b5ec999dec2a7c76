"""Pages of files: the file manager and one file's page (files), and local storage's stand-ins
for S3's upload and download URLs (local_storage)."""
