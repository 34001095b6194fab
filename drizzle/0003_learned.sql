CREATE TABLE "learned_associations" (
	"model_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"code" text NOT NULL,
	"tp" integer NOT NULL,
	"fp" integer NOT NULL,
	"precision" real NOT NULL,
	CONSTRAINT "learned_associations_model_id_kind_key_code_pk" PRIMARY KEY("model_id","kind","key","code")
);
--> statement-breakpoint
CREATE TABLE "learned_models" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset" text NOT NULL,
	"engine_version" text NOT NULL,
	"notes" integer NOT NULL,
	"params" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learned_associations" ADD CONSTRAINT "learned_associations_model_id_learned_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."learned_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learned_associations_code_idx" ON "learned_associations" USING btree ("model_id","code");