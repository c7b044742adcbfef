-- A count each upload or import of files raises on its uploader's row, in its
-- transaction, before it reads how much of the quota is used (attachments.sql
-- update_user_file_claims). Its value means nothing; the write is the point.
-- On a Galera cluster a row lock holds only on the node that takes it, so two
-- uploads of one user on two nodes would each pass the quota; two writes of
-- one row are a conflict the cluster's certification refuses, so one of them
-- fails and is answered "try again".
ALTER TABLE users ADD COLUMN file_claims INTEGER NOT NULL DEFAULT 0;
