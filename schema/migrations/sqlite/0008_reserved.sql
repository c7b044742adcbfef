-- Schema step 8 is WebAuthn credentials' (extensions.md section 4). This
-- release makes no change at this step: it keeps the numbers in order.
SELECT 1;
