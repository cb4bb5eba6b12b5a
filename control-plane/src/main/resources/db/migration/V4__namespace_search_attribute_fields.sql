-- The field each custom search attribute's values are stored under on the data plane (name -> "Keyword01", JSON),
-- kept across renames. Null in rows written before: the fields are then given by the same rule on read
-- (dev.aeon.common.searchattribute.SearchAttributeFields), which the data plane applies to its records too.
alter table namespace add column search_attribute_fields text;
-- Names attributes had before a rename (old name -> field, JSON): history events keep the names of their time, and
-- state rebuilt from them (a reset) finds the field through these.
alter table namespace add column search_attribute_former_names text;
