ALTER TABLE "learned_models" ADD COLUMN "status" text DEFAULT 'candidate' NOT NULL;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "source" text DEFAULT 'site' NOT NULL;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "training" jsonb;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "metrics" jsonb;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "notice" text;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "promoted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "learned_models" ADD COLUMN "promoted_by" uuid;--> statement-breakpoint
ALTER TABLE "learned_models" ADD CONSTRAINT "learned_models_promoted_by_users_id_fk" FOREIGN KEY ("promoted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learned_models_one_active_idx" ON "learned_models" USING btree ("status") WHERE "learned_models"."status" = 'active';--> statement-breakpoint
ALTER TABLE "learned_models" ADD CONSTRAINT "learned_models_status_check" CHECK ("learned_models"."status" in ('active', 'candidate', 'retired'));--> statement-breakpoint
ALTER TABLE "learned_models" ADD CONSTRAINT "learned_models_source_check" CHECK ("learned_models"."source" in ('shipped', 'site'));--> statement-breakpoint
-- Before the registry the engine used the newest model: it stays in force as the one active model. A model
-- learned from CodiEsp train is the shipped one (data/learned/README.md), so a later start may update it.
UPDATE "learned_models" SET "status" = 'active' WHERE "id" = (SELECT "id" FROM "learned_models" ORDER BY "created_at" DESC LIMIT 1);--> statement-breakpoint
UPDATE "learned_models" SET "source" = 'shipped' WHERE "dataset" = 'codiesp-train';
