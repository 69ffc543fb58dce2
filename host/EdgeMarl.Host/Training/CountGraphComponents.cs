// docs/design.md §2 G-step, mode `rounded`: V(·, c) reads only V(·, c'(s_g, c)), one next count vector per s_g. The count
// vectors and the edges c → c'(s_g, c) form a graph that is almost acyclic (zones, k = 50: 316,251 vectors, the largest
// strongly connected component 106 of them, ~1,100 in components of more than one), because the rounded mean-field
// map contracts toward the robots' stationary law. Solving components sinks-first turns value iteration into one pass.

namespace EdgeMarl.Host.Training;

/// <summary>Strongly connected components of the rounded next-count graph, successors before predecessors.</summary>
internal sealed class CountGraphComponents
{
    private CountGraphComponents(int[] order, int[] start, int count, int[] componentOf)
    {
        Order = order;
        Start = start;
        Count = count;
        ComponentOf = componentOf;
    }

    /// <summary>Gets the component of each count vector.</summary>
    public int[] ComponentOf { get; }

    /// <summary>Gets the count-vector ranks grouped by component; component <c>i</c> is <c>Order[Start[i] .. Start[i+1])</c>.</summary>
    public int[] Order { get; }

    /// <summary>Gets the component offsets into <see cref="Order"/> (entries 0 .. <see cref="Count"/>).</summary>
    public int[] Start { get; }

    /// <summary>Gets the number of components.</summary>
    public int Count { get; }

    /// <summary>
    /// Tarjan's algorithm (iterative) on the graph with edges <c>c → next[c·g + s_g]</c>. Tarjan emits a component only
    /// after every component it reaches, so <see cref="Order"/> lists components in reverse topological order: every
    /// edge leaves a component for itself or an earlier one. Deterministic (roots and edges in index order).
    /// </summary>
    /// <param name="next">Next rank per row <c>c·g + s_g</c>.</param>
    /// <param name="size">Number of count vectors.</param>
    /// <param name="g">Edges per vector (<c>|S_g|</c>).</param>
    /// <returns>The components.</returns>
    /// <param name="reuse">The result of an earlier call for the same size whose arrays may be overwritten (saves ~30 MB of
    /// allocation per call at k = 50), or null.</param>
    public static CountGraphComponents Build(int[] next, int size, int g, CountGraphComponents? reuse = null)
    {
        var none = default(NoVisitor);
        return Build(next, size, g, reuse, ref none);
    }

    /// <summary>
    /// As <see cref="Build(int[], int, int, CountGraphComponents)"/>, calling <paramref name="visitor"/> on each component as
    /// Tarjan emits it, when every component it reaches has been emitted (and visited) before it: a solver can finish it there
    /// while its vectors, just visited by the search, are still in cache.
    /// </summary>
    /// <typeparam name="TVisitor">The visitor (a struct, so the call is inlined).</typeparam>
    /// <param name="next">Next rank per row <c>c·g + s_g</c>.</param>
    /// <param name="size">Number of count vectors.</param>
    /// <param name="g">Edges per vector (<c>|S_g|</c>).</param>
    /// <param name="reuse">An earlier result for the same size whose arrays may be overwritten, or null.</param>
    /// <param name="visitor">Called with the arrays so far and the index of each component, in emission order.</param>
    /// <returns>The components.</returns>
    public static CountGraphComponents Build<TVisitor>(int[] next, int size, int g, CountGraphComponents? reuse, ref TVisitor visitor)
        where TVisitor : struct, IComponentVisitor
    {
        Scratch scratch = reuse?._scratch is { } kept && kept.Index.Length == size ? kept : new Scratch(size);
        int[] index = scratch.Index;  // 0 = unvisited, int.MaxValue = assigned to a component (no longer on Tarjan's stack), else discovery index + 1
        int[] low = scratch.Low;
        int[] stack = scratch.Stack;  // Tarjan's stack
        int[] path = scratch.Path;    // DFS path (explicit recursion)
        int[] edge = scratch.Edge;    // next edge to try, per path entry
        int[] order = scratch.Order;
        int[] componentOf = scratch.ComponentOf;
        int[] start = scratch.Start;
        Array.Clear(index);
        int components = 0;
        start[0] = 0;
        int counter = 0, top = 0, emitted = 0;
        for (int root = 0; root < size; root++)
        {
            if (index[root] != 0)
            {
                continue;
            }

            int depth = 0;
            path[0] = root;
            edge[0] = 0;
            index[root] = low[root] = ++counter;
            stack[top++] = root;
            while (depth >= 0)
            {
                int v = path[depth];
                if (edge[depth] < g)
                {
                    int w = next[(v * g) + edge[depth]];
                    edge[depth]++;
                    if (index[w] == 0)
                    {
                        index[w] = low[w] = ++counter;
                        stack[top++] = w;
                        depth++;
                        path[depth] = w;
                        edge[depth] = 0;
                    }
                    else if (index[w] < low[v]) // never true once w is assigned (index int.MaxValue)
                    {
                        low[v] = index[w];
                    }

                    continue;
                }

                depth--;
                if (depth >= 0 && low[v] < low[path[depth]])
                {
                    low[path[depth]] = low[v];
                }

                if (low[v] == index[v])
                {
                    int w;
                    do
                    {
                        w = stack[--top];
                        index[w] = int.MaxValue;
                        componentOf[w] = components;
                        order[emitted++] = w;
                    }
                    while (w != v);
                    start[++components] = emitted;
                    visitor.Emitted(order, start, componentOf, components - 1);
                }
            }
        }

        return new CountGraphComponents(order, start, components, componentOf) { _scratch = scratch };
    }

    private Scratch? _scratch;

    /// <summary>Receives the components of <see cref="Build{TVisitor}"/> as they are emitted.</summary>
    public interface IComponentVisitor
    {
        /// <summary>Component <paramref name="component"/> is <c>order[start[component] .. start[component+1])</c>; every component it reaches is earlier.</summary>
        void Emitted(int[] order, int[] start, int[] componentOf, int component);
    }

    private struct NoVisitor : IComponentVisitor
    {
        public readonly void Emitted(int[] order, int[] start, int[] componentOf, int component)
        {
        }
    }

    /// <summary>Tarjan's arrays for one graph size.</summary>
    private sealed class Scratch(int size)
    {
        public int[] Index { get; } = new int[size];

        public int[] Low { get; } = new int[size];

        public int[] Stack { get; } = new int[size];

        public int[] Path { get; } = new int[size];

        public int[] Edge { get; } = new int[size];

        public int[] Order { get; } = new int[size];

        public int[] ComponentOf { get; } = new int[size];

        public int[] Start { get; } = new int[size + 1];
    }
}
