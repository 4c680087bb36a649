-- A claim reads its entries back by the ids it took (with its token), through the primary key, so the token needs no
-- index: dce_inbox_claim cost every stored webhook an index entry, written and then deleted with it.
DROP INDEX dce_inbox_claim;
