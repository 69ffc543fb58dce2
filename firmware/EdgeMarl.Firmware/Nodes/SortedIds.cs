namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// Node ids kept in a sorted array prefix (the gateway's roster and allow-list, the UDP radio's learned peers):
    /// lookups are O(log n) and allocation-free, which the tick needs for 1,000 joined robots.
    /// </summary>
    public static class SortedIds
    {
        /// <summary>Binary search in <c>sorted[0 … count)</c>: the index of <paramref name="id"/>, or <c>~insertion point</c> (negative) when absent.</summary>
        /// <param name="sorted">Ids in ascending order, no duplicates.</param>
        /// <param name="count">How many leading entries of <paramref name="sorted"/> are in use.</param>
        /// <param name="id">The id to find.</param>
        /// <returns>The index, or the bitwise complement of where <paramref name="id"/> would be inserted.</returns>
        public static int Find(int[] sorted, int count, int id)
        {
            int low = 0;
            int high = count - 1;
            while (low <= high)
            {
                int middle = (low + high) >> 1;
                int value = sorted[middle];
                if (value == id)
                {
                    return middle;
                }

                if (value < id)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return ~low;
        }
    }
}
