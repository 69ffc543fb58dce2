// DESIGN.md §2 G-step, mode `rounded`: V(·, c) reads only V(·, c'(s_g, c)), one next count vector per s_g. The count
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

    /// <summary>Gets the component offsets into <see cref="Order"/> (length <see cref="Count"/> + 1).</summary>
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
    public static CountGraphComponents Build(int[] next, int size, int g)
    {
        var index = new int[size];   // 0 = unvisited, else discovery index + 1
        var low = new int[size];
        var done = new bool[size];   // assigned to a component (so no longer on Tarjan's stack)
        var stack = new int[size];   // Tarjan's stack
        var path = new int[size];    // DFS path (explicit recursion)
        var edge = new int[size];    // next edge to try, per path entry
        var order = new int[size];
        var componentOf = new int[size];
        var start = new List<int>(size / 64) { 0 };
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
                    else if (!done[w] && index[w] < low[v])
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
                        done[w] = true;
                        componentOf[w] = start.Count - 1;
                        order[emitted++] = w;
                    }
                    while (w != v);
                    start.Add(emitted);
                }
            }
        }

        return new CountGraphComponents(order, [.. start], start.Count - 1, componentOf);
    }
}
