// The dense side of the index: an hnswlib graph (cosine) over passage vectors, labelled by passage number.
import hnswlib from 'hnswlib-node';
import { slicedPause } from '../event-loop.js';

const { HierarchicalNSW } = hnswlib;

export interface HnswSettings {
  m: number;
  efConstruction: number;
  /** Query-time candidate list size; hnswlib's default of 10 loses recall, so it is set well above. */
  efSearch: number;
}

export interface VectorHit {
  label: number;
  /** Cosine similarity (1 − hnswlib's cosine distance). */
  similarity: number;
}

/** Holds the native hnswlib graph; every passage vector's label is its position in the passage table. */
export class VectorIndex {
  private constructor(
    private readonly graph: InstanceType<typeof HierarchicalNSW>,
    readonly dimensions: number,
    readonly size: number,
  ) {}

  /** The query-time candidate list size in use. */
  get efSearch(): number {
    return this.graph.getEf();
  }

  /** Builds a graph over `vectors` (row-major, `dimensions` wide); row i gets label i. Yields to the event loop as it goes. */
  static async build(vectors: Float32Array, dimensions: number, settings: HnswSettings): Promise<VectorIndex> {
    const count = vectors.length / dimensions;
    const graph = new HierarchicalNSW('cosine', dimensions);
    // A fixed seed keeps builds of the same data identical.
    graph.initIndex(Math.max(1, count), settings.m, settings.efConstruction, 100);
    const row: number[] = new Array(dimensions);
    const pause = slicedPause();
    for (let i = 0; i < count; i++) {
      await pause();
      for (let d = 0; d < dimensions; d++) row[d] = vectors[i * dimensions + d]!;
      graph.addPoint(row, i);
    }
    graph.setEf(settings.efSearch);
    return new VectorIndex(graph, dimensions, count);
  }

  static read(file: string, dimensions: number, efSearch: number): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dimensions);
    graph.readIndexSync(file);
    graph.setEf(efSearch);
    return new VectorIndex(graph, dimensions, graph.getCurrentCount());
  }

  write(file: string): void {
    this.graph.writeIndexSync(file);
  }

  /** The k nearest passages to `query`, optionally only among labels the filter accepts. */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    if (this.size === 0 || k <= 0) return [];
    const { neighbors, distances } = this.graph.searchKnn(Array.from(query), Math.min(k, this.size), filter);
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
  }
}
