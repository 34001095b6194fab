// Supplies and durable medical equipment a practice hands out at a visit, as data: the HCPCS Level II code
// (public), the names notes use for the item, and what tells one code of a family from another. The
// descriptor shown to the coder is read from the shipped HCPCS release (hcpcs-file.ts), never written here.
// Only items a note names unambiguously are listed; a brace or splint whose HCPCS code turns on details notes
// rarely give (custom fitted vs off-the-shelf, joints, material) is left to the coder.
// Source: HCPCS Level II 2025-10 long descriptors (data/codesets/hcpcs-2025-oct.csv.gz).

import { z } from 'zod';

const SupplySchema = z.strictObject({
  code: z.string().regex(/^[AEL]\d{4}$/),
  /** How the coder reads it ("crutches, underarm, pair"). */
  label: z.string().min(1),
  /** Names in notes, as case-insensitive regex sources. */
  names: z.array(z.string().min(1)).min(1),
  /** Words in the same sentence that move the item to another code of the table (checked before it). */
  unless: z.string().optional(),
  /** What the coder should check before billing it (the descriptor's distinctions the note may not give). */
  check: z.string().optional(),
});
export type Supply = z.infer<typeof SupplySchema>;

// Order matters: a more specific entry ("quad cane", "rolling walker") comes before the general one.
const RAW: unknown = [
  { code: 'E0114', label: 'crutches, underarm, pair', names: ['crutch(?:es)?'], unless: 'forearm|lofstrand|wooden', check: 'E0114 is underarm, other than wood, per pair; forearm (E0110/E0111) and wooden (E0112/E0113) crutches have their own codes.' },
  { code: 'E0105', label: 'quad cane', names: ['quad(?:-| )?cane', '(?:three|3)[- ]prong(?:ed)? cane'] },
  { code: 'E0100', label: 'cane', names: ['(?:straight |single[- ]point |standard )?cane'], unless: 'quad|prong' },
  { code: 'E0143', label: 'walker, folding, wheeled', names: ['(?:rolling|wheeled|front[- ]wheeled|2[- ]wheeled|two[- ]wheeled) walker'] },
  { code: 'E0135', label: 'walker, folding (pickup)', names: ['(?:standard |pick-?up |folding )?walker'], unless: 'rolling|wheeled|rollator|seat', check: 'E0135 is a folding pickup walker without wheels.' },
  { code: 'L4361', label: 'walking boot, pneumatic', names: ['(?:pneumatic|air(?:cast)?) (?:walking |walker |cam )?boot', 'aircast walker'], check: 'An orthosis takes RT or LT.' },
  { code: 'L4387', label: 'walking boot, non-pneumatic', names: ['(?:cam|walking|walker|fracture) boot'], unless: 'pneumatic|air', check: 'L4387 is a non-pneumatic prefabricated off-the-shelf boot; a pneumatic one is L4361. An orthosis takes RT or LT.' },
  { code: 'A4565', label: 'sling', names: ['(?:arm )?sling'] },
  { code: 'L0120', label: 'cervical collar, foam', names: ['(?:soft|foam) (?:cervical )?collar'] },
  { code: 'L1830', label: 'knee immobilizer', names: ['knee immobili[sz]er'], check: 'An orthosis takes RT or LT.' },
  { code: 'A4627', label: 'spacer for a metered dose inhaler', names: ['spacer', 'aerochamber', 'valved holding chamber'] },
  { code: 'A4614', label: 'peak flow meter', names: ['peak (?:expiratory )?flow meter'] },
  { code: 'E0607', label: 'home blood glucose monitor', names: ['(?:blood )?glucose (?:monitor|meter)', 'glucometer'] },
  { code: 'E0570', label: 'nebulizer with compressor', names: ['nebuli[sz]er (?:machine|unit|with compressor)', '(?:home )?nebuli[sz]er machine'] },
];

export const SUPPLIES: readonly Supply[] = z.array(SupplySchema).parse(RAW);
export const SUPPLY_CODES: ReadonlySet<string> = new Set(SUPPLIES.map((s) => s.code));
