/** Types of consumer-train.mjs for the TypeScript caller (train-from-source.ts). */
export function train(dt: unknown, backend: 'cpu' | 'webgpu'): Promise<{ backend: string; digest: string; history: Record<string, number[]>; evaluation: number[] }>;
