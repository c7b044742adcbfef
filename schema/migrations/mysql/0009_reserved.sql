-- Schema step 9 is the item revision's. This release makes no change at this
-- step: it keeps the numbers in order.
SELECT 1;
