from files.testing import local_media, s3_server, s3_storage  # noqa: F401  (fixtures)
