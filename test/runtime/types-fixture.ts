// Types for the generation tests: every construct the TypeScript analysis must describe.
enum Color {
  Red = "red",
  Green = "green",
}
interface Tree {
  label: string;
  children?: Tree[];
}
type Created = { type: "Created"; id: string; itemId: string; priority: "low" | "high"; note?: string; meta: { kind: "a" | "b"; at: string } };
type Moved = { type: "Moved"; id: string; itemId: string; path: Tree; position: [number, number] };
type Tagged = { type: "Tagged"; id: string; color: Color; tags: string[]; counts: Record<string, number>; done: boolean | null };

export const shapes = {
  initialState: () => ({}),
  handle: (state: object, _event: Created | Moved | Tagged) => ({ state }),
};
