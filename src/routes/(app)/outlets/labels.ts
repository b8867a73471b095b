import { m } from '$lib/paraglide/messages.js';

const KINDS: Record<string, () => string> = {
	newspaper: () => m.outlet_kind_newspaper(),
	magazine: () => m.outlet_kind_magazine(),
	tv: () => m.outlet_kind_tv(),
	radio: () => m.outlet_kind_radio(),
	web: () => m.outlet_kind_web(),
	wire: () => m.outlet_kind_wire()
};

/** An outlet type in the reader's language ('—' when unknown). */
export function outletKindLabel(kind: string | null | undefined): string {
	return kind && KINDS[kind] ? KINDS[kind]() : '—';
}
