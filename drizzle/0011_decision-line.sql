ALTER TABLE "decisions" ADD COLUMN "line" jsonb;--> statement-breakpoint
-- Until this column, an accepted line's units and modifiers were kept in reason_text as "claim-line:" + JSON
-- (server/review/claim-line.ts before issue 13 item 2). Move them here and clear reason_text, which is a
-- reject's reason again. Only valid JSON objects move; anything else written with the prefix stays text.
UPDATE "decisions" SET "line" = substr("reason_text", 12)::jsonb, "reason_text" = NULL
  WHERE "action" = 'accept' AND "reason_text" LIKE 'claim-line:%'
    AND CASE WHEN pg_input_is_valid(substr("reason_text", 12), 'jsonb') THEN jsonb_typeof(substr("reason_text", 12)::jsonb) = 'object' ELSE false END;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_line_check" CHECK ("decisions"."line" is null or "decisions"."action" = 'accept');
