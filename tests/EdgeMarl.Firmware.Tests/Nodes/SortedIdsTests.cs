using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Random;
using Xunit;

namespace EdgeMarl.Firmware.Tests.Nodes;

/// <summary>The roster's binary search agrees with <see cref="System.Array.BinarySearch(System.Array, int, int, object)"/> on every prefix, present or absent id.</summary>
public sealed class SortedIdsTests
{
    [Fact]
    public void FindAgreesWithArrayBinarySearchOnRandomSortedPrefixes()
    {
        var rng = new Pcg32(11);
        for (int trial = 0; trial < 500; trial++)
        {
            int count = (int)rng.NextBelow(40);
            int[] sorted = new int[count + (int)rng.NextBelow(5)]; // spare capacity beyond the prefix, as the roster has
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                next += 1 + (int)rng.NextBelow(4);
                sorted[i] = next;
            }

            for (int id = 0; id <= next + 2; id++)
            {
                Assert.Equal(System.Array.BinarySearch(sorted, 0, count, id), SortedIds.Find(sorted, count, id));
            }
        }
    }
}
